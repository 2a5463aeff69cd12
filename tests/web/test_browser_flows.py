"""One browser test per role's flow (issue 19), each page checked by axe-core, on `spur serve` with the demo data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.browser import Checked, Server, axe_source, need_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_playwright()
    s = Server(tmp_path_factory.mktemp("browser"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    from tests.chromium import CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield b
        b.close()


@pytest.fixture
def as_user(browser, server):
    axe = axe_source()
    contexts = []

    def make(username: str) -> Checked:
        context = browser.new_context(locale="sv-SE", accept_downloads=True)
        contexts.append(context)
        checked = Checked(context, server, axe)
        checked.login(username)
        return checked

    yield make
    for c in contexts:
        c.close()


def test_verksamhetschef_fills_in_a_new_self_assessment(as_user):
    u = as_user("verksamhetschef")
    page = u.page
    page.get_by_role("link", name="Vårdcentralen Linden").first.click()
    u.check()
    page.get_by_label("Bedömningsdatum").fill("2026-04-01")
    page.get_by_label("ett tomt underlag").check()
    page.get_by_role("button", name="Starta").click()
    u.check()
    assert "Självvärdering 2026-04-01" in page.inner_text("h1")
    page.get_by_role("link", name="Område A", exact=True).click()
    u.check()
    page.get_by_label("vårdgivarens riktlinjer för ST – dokumentet finns").select_option("ja")
    page.locator("#f-intyganden-A-03-svar-1").check()  # ja
    page.get_by_label("A-03 – underlag").fill("Tjänstgöringsschema")
    page.evaluate("window.spurMarker = 'kvar'")  # survives only a partial update (htmx), not a page load
    page.get_by_role("button", name="Spara och visa betyget").click()
    page.wait_for_selector(".notice")
    u.check()
    assert "Sparat som version 2" in page.inner_text(".notice")
    assert page.evaluate("window.spurMarker") == "kvar"
    assert page.locator("#omrade-A").count() == 1
    # a person is added in the people list; a date that does not exist is refused at its field
    page.get_by_role("link", name="Personer").click()
    u.check()
    page.locator('[name="st_lakare[1].namn"]').fill("Nora Ny")
    page.locator('[name="st_lakare[1].regelverk"]').select_option("HSLF-FS 2021:8")
    page.get_by_role("button", name="Spara").click()
    u.check()
    assert "Sparat som version 3" in page.inner_text(".notice")
    page.locator('[name="st_lakare[1].namn"]').fill("")
    page.get_by_role("button", name="Spara").click()
    u.check()
    assert "Det gick inte att spara" in page.inner_text(".error-summary")
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "st_lakare[1].namn"
    # a refused save comes back through htmx too (HTTP 400), its message at the field
    page.get_by_role("link", name="Område E", exact=True).click()
    u.check()
    page.locator('[name="st_lakare[1].handledning.minuter_per_vecka"]').fill("många")
    page.get_by_role("button", name="Spara och visa betyget").click()
    page.wait_for_selector(".error-summary")
    u.check()
    assert "ska vara ett tal, inte 'många'" in page.inner_text("#f-st_lakare-1--handledning-minuter_per_vecka-fel")


def test_inspector_compares_overrides_and_downloads_the_pdf(as_user):
    u = as_user("inspektor")
    page = u.page
    page.get_by_role("link", name="Hälsocentralen Aspen").first.click()
    u.check()
    page.get_by_role("link", name="2026-01-20").click()
    u.check()
    page.get_by_role("link", name="Jämförelse").click()
    u.check()
    assert page.locator("tr.differs").count() >= 1
    page.get_by_label("Utfall enligt inspektörerna, E-10").select_option("ej uppfyllt")
    page.get_by_label("Motivering, E-10").fill("Handledarutbildningen är inte uppdaterad.")
    page.get_by_role("button", name="Spara inspektörernas bedömningar").click()
    u.check()
    assert "sparades" in page.inner_text(".notice")
    page.get_by_role("link", name="Översikt", exact=True).click()
    u.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapporten som PDF").click()
    path = download.value.path()
    assert Path(path).read_bytes()[:4] == b"%PDF"


def test_plan_drafted_edited_and_refused_when_edited_concurrently(as_user, server):
    inspector = as_user("inspektor")
    page = inspector.page
    page.get_by_role("link", name="Vårdcentralen Eken").first.click()
    page.get_by_role("link", name="2026-03-16").click()
    inspector.check()
    page.get_by_role("button", name=re.compile("Skapa ett utkast till handlingsplan")).click()
    inspector.check()
    plan_url = page.url
    boss = as_user("verksamhetschef")
    # the verksamhetschef of Linden does not see Eken's plan
    response = boss.page.goto(plan_url)
    assert response.status == 404
    studierektor = as_user("studierektor")
    studierektor.page.goto(plan_url)
    studierektor.check()
    # two browsers edit the same version: the second is refused, with its change shown
    page.locator('[name="rader[1].anteckningar"]').fill("Inspektörens anteckning")
    studierektor.page.locator('[name="rader[1].anteckningar"]').fill("Studierektorns anteckning")
    page.locator('[name="rader[1].godkand"]').select_option("ja")
    page.get_by_role("button", name="Spara handlingsplanen").click()
    inspector.check()
    studierektor.page.get_by_role("button", name="Spara handlingsplanen").click()
    studierektor.check()
    assert "Dina ändringar sparades inte" in studierektor.page.inner_text(".error-summary")
    assert "Studierektorns anteckning" in studierektor.page.inner_text("pre.diff")
    # Linden's plan: the tool's warnings beside the rows and each area's verdict, as the inspectors decide
    page.get_by_role("link", name="Start").first.click()
    page.get_by_role("link", name="Vårdcentralen Linden").first.click()
    page.get_by_role("link", name="handlingsplan").first.click()
    inspector.check()
    assert "Samma åtgärd som H-06" in page.inner_text("#rad-1 .plan-warnings")
    assert "kvarstår" in page.inner_text("ul.verdicts")
    page.locator("ul.verdicts").get_by_role("link", name="rad 3 (H-06)").click()
    assert page.url.endswith("#rad-3")


def test_studierektor_follows_up_and_subscribes(as_user, server):
    u = as_user("studierektor")
    page = u.page
    page.get_by_role("link", name="Uppföljning").first.click()
    u.check()
    assert page.get_by_role("heading", name=re.compile("^Försenade")).count() == 1
    page.get_by_role("button", name="Skapa en ny prenumerationsadress").click()
    u.check()
    url = page.get_by_label("Adress").input_value()
    calendar = page.request.get(url)
    assert calendar.status == 200 and calendar.text().startswith("BEGIN:VCALENDAR")
    page.get_by_role("button", name=re.compile("Återkalla prenumerationen")).first.click()
    u.check()
    assert page.request.get(url).status == 404


def test_region_sees_every_unit_of_its_region_only(as_user):
    u = as_user("regional")
    page = u.page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Regionens översikt").click()
    u.check()
    text = page.inner_text("main")
    assert "Vårdcentralen Linden" in text and "Vårdcentralen Björken" not in text
    trends = page.get_by_role("table", name=re.compile("^Betyg per enhet och område i varje bedömning"))
    assert "→" in trends.get_by_role("row", name=re.compile("Vårdcentralen Linden")).inner_text()
    page.get_by_label("Vårdgivare").select_option("Region Exempelland")
    page.get_by_role("button", name="Visa").click()
    u.check()


def test_every_other_page_passes_axe_and_keyboard_reaches_the_content(as_user, server):
    u = as_user("administrator")
    for path in ("/logg/", "/tillganglighet/", "/uppfoljning/", "/region/"):
        u.go(path)
    page = u.page
    page.get_by_role("link", name="Start").first.click()
    page.get_by_role("link", name="Vårdcentralen Linden").first.click()
    page.get_by_role("link", name=re.compile("^2025-09-15")).first.click()
    u.check()
    base = page.url
    for part in ("uppgifter/", "personer/", "jamfor/", *(f"omrade/{x}/" for x in "BCDEFGH")):
        u.go(base.removeprefix(server.url) + part)
    page.get_by_role("link", name="Öppna handlingsplanen").count()
    # keyboard: the first Tab reaches the skip link, Enter moves to the content
    u.go("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert len(u.checked) >= 15


def test_wide_pages_fit_the_window_and_a_save_keeps_the_keyboards_place(as_user):
    """Found on issue 19's walk: the comparison (a 32rem box in each row's cell) and the region's grades over time
    (a unit's whole series on one line) were wider than the window (1280 pixels, with four assessments of Linden); after a save through htmx the focus
    fell back to the page's start, so a keyboard user began again from the top."""
    u = as_user("inspektor")
    page = u.page
    page.set_viewport_size({"width": 1280, "height": 800})
    for kind, day in (("förbedömning", "2026-05-04"), ("inspektion", "2026-05-05")):  # Linden: four assessments
        page.get_by_role("link", name="Start").first.click()
        page.get_by_role("link", name="Vårdcentralen Linden").first.click()
        page.get_by_label("Typ av bedömning").select_option(kind)
        page.get_by_label("Bedömningsdatum").fill(day)
        page.get_by_role("button", name="Starta").click()
        u.check()
    page.get_by_role("link", name="Start").first.click()
    page.get_by_role("link", name="Hälsocentralen Aspen").first.click()
    page.get_by_role("link", name="2026-01-20").click()
    page.get_by_role("link", name="Jämförelse").click()
    u.check()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    u.go("/region/")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.go_back()
    page.get_by_role("link", name="Område E", exact=True).click()
    u.check()
    page.get_by_label("E-03 – underlag").fill("Intervju med handledarna")
    page.get_by_role("button", name="Spara och visa betyget").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".notice")
    u.check()
    assert "Sparat som version" in page.inner_text(".notice")
    assert page.evaluate("document.activeElement.classList.contains('notice')")
