"""The web app's pages through Django's test client: each role's work, validation at the field, the same grades
as `spur grade`, concurrent plan edits, uploads, login throttling, CSRF and the security headers."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.web.conftest import latest

LINDEN, EKEN, ASPEN = "Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"


def test_web_grades_equal_spur_grade(client_as, tmp_path):
    """The same evidence graded through the web and through `spur grade --format json` gives the same JSON."""
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    path = tmp_path / "linden.yaml"
    path.write_bytes(client.get(f"/bedomning/{a.pk}/export.yaml").content)
    assert path.read_text(encoding="utf-8") == a.current.text
    web = json.loads(client.get(f"/bedomning/{a.pk}/betyg.json").content)
    cli = subprocess.run(
        [sys.executable, "-c", "import cli, sys; sys.exit(cli.run(sys.argv[1:]))", "grade", str(path), "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert web == json.loads(cli.stdout)


def test_save_an_area_shows_errors_at_the_field_then_the_grade(client_as):
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/omrade/D/"
    page = client.get(url).content.decode()
    assert 'name="st_lakare[2].iup.senast_reviderad"' in page and 'type="date"' in page
    response = client.post(url, {"version": a.version, "st_lakare[2].iup.senast_reviderad": "2025-13-01"})
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input type="date" id="(f-st_lakare-2--iup-senast_reviderad)"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and re.search(
        r'aria-describedby="[^"]*f-st_lakare-2--iup-senast_reviderad-fel"', field
    )
    assert 'id="f-st_lakare-2--iup-senast_reviderad-fel"' in html
    assert "ogiltigt datum &#39;2025-13-01&#39; (månaden finns inte)" in html  # the CLI's message
    assert 'href="#f-st_lakare-2--iup-senast_reviderad"' in html  # the summary links to the field
    a.refresh_from_db()
    before = a.version
    response = client.post(url, {"version": a.version, "st_lakare[2].iup.senast_reviderad": "2025-08-01"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    a.refresh_from_db()
    assert a.version == before + 1
    assert "Sparat som version" in html and 'id="omrade-D"' in html  # the area's section of the report
    assert "D-07" in html and "Vad krävs för nästa betyg" in html
    html = client.get(f"/bedomning/{a.pk}/omrade/H/").content.decode()
    assert re.search(r'href="#krav-H-06">H-06</a> är inte uppfyllt: \w', html)  # with the catalogue's remedy


def test_new_self_assessment_from_scratch_and_as_a_copy(client_as):
    client = client_as("verksamhetschef")
    unit = latest(LINDEN).unit
    response = client.post(
        f"/enhet/{unit.pk}/ny-bedomning/", {"typ": "självvärdering", "datum": "2026-02-01", "start": "tom"}
    )
    assert response.status_code == 302
    pk = int(response["Location"].split("/")[2])
    a = latest(LINDEN)
    assert a.pk == pk and a.kind == "självvärdering" and a.date.isoformat() == "2026-02-01"
    assert "Karin Lindqvist" in a.current.text and a.provisional  # nothing known yet: provisional grades
    response = client.post(
        f"/enhet/{unit.pk}/ny-bedomning/", {"typ": "självvärdering", "datum": "2026-03-01", "start": "kopia"}
    )
    copy = latest(LINDEN)
    assert copy.date.isoformat() == "2026-03-01" and "inspektorsbedomningar" not in copy.current.text
    # a verksamhetschef starts no inspection
    response = client.post(
        f"/enhet/{unit.pk}/ny-bedomning/", {"typ": "inspektion", "datum": "2026-03-02", "start": "kopia"}
    )
    assert response.status_code == 403


def test_people_are_added_and_removed_in_lists(client_as):
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/personer/"
    assert 'name="st_lakare[4].namn"' in client.get(url).content.decode()  # the blank new entry
    response = client.post(url, {"version": a.version, "st_lakare[4].namn": "Nora Ny"})
    assert response.status_code == 400
    assert "st_lakare[4].regelverk" in response.content.decode() or "regelverk" in response.content.decode()
    response = client.post(url, {"version": a.version, "st_lakare[4].namn": "Nora Ny", "st_lakare[4].regelverk": "HSLF-FS 2021:8",
                                 "bt_lakare[1].__ta_bort": "1"})  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert "Nora Ny" in a.current.text and "David Ali" not in a.current.text


def test_inspector_compares_and_overrides_with_motivering(client_as):
    client = client_as("inspektor")
    a = latest(ASPEN, "förbedömning")
    url = f"/bedomning/{a.pk}/jamfor/"
    html = client.get(url).content.decode()
    assert "Enhetens självvärdering" in html and 'class="differs"' in html  # C-02: the unit said nej, now ja
    response = client.post(url, {"version": a.version, "inspektorsbedomningar.E-10.utfall": "ej uppfyllt"})
    assert response.status_code == 400 and "motivering" in response.content.decode()
    response = client.post(url, {"version": a.version, "inspektorsbedomningar.E-10.utfall": "ej uppfyllt",
                                 "inspektorsbedomningar.E-10.motivering": "Utbildningen är inte uppdaterad."})  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert "Utbildningen är inte uppdaterad." in a.current.text
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>")):
        if fmt == "pdf":
            from tests.chromium import CHROMIUM

            if CHROMIUM is None:
                continue
        response = client.get(f"/bedomning/{a.pk}/rapport.{fmt}")
        assert response.status_code == 200 and response.content.startswith(magic), fmt
        assert "attachment" in response["Content-Disposition"]


def test_concurrent_plan_edits_the_second_is_refused_not_lost(client_as):
    from web.store.models import Plan

    plan = Plan.objects.filter(assessment__unit__name=LINDEN).order_by("assessment__date").first()
    first, second = client_as("verksamhetschef"), client_as("studierektor")
    version = plan.version
    url = f"/handlingsplan/{plan.pk}/"
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    assert first.post(url, {"version": version, "rader[1].anteckningar": "Först"}).status_code == 302
    response = second.post(url, {"version": version, "rader[1].anteckningar": "Sedan"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dina ändringar sparades inte" in html and "Sedan" in html  # the refused change is shown, not lost
    plan.refresh_from_db()
    assert plan.version == version + 1 and "Först" in plan.current.text and "Sedan" not in plan.current.text


def test_draft_plan_owners_from_the_units_people(client_as):
    client = client_as("inspektor")
    a = latest(EKEN)
    response = client.post(f"/bedomning/{a.pk}/handlingsplan/")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert '<datalist id="agare">' in html and "Verksamhetschefen (" in html
    assert 'name="rader[1].godkand"' in html  # the inspectors decide each row


def test_followup_grouped_and_calendar_subscription(client_as):
    client = client_as("studierektor")
    html = client.get("/uppfoljning/?idag=2025-10-15").content.decode()
    for heading in ("Försenade", "Förfaller snart", "Öppna", "Klara"):
        assert heading in html
    assert client.post("/uppfoljning/kalender/ny/").status_code == 302
    html = client.get("/uppfoljning/").content.decode()
    url = re.search(r'value="(http://testserver/kalender/[^"]+\.ics)"', html).group(1)
    calendar = client_as("verksamhetschef").get(url.removeprefix("http://testserver"))
    assert calendar.status_code == 200 and calendar.content.startswith(b"BEGIN:VCALENDAR")
    assert calendar["Content-Type"].startswith("text/calendar")
    from web.store.models import CalendarToken

    token = CalendarToken.objects.get(user__username="studierektor", revoked_at__isnull=True)
    assert client.post(f"/uppfoljning/kalender/{token.pk}/aterkalla/").status_code == 302
    assert client.get(url.removeprefix("http://testserver")).status_code == 404


def test_region_dashboard_and_audit(client_as):
    html = client_as("regional").get("/region/").content.decode()
    assert LINDEN in html and EKEN in html and "Vårdcentralen Björken" not in html
    assert "Årssiffror" in html
    assert client_as("regional").get("/logg/").status_code == 403
    assert "Granskningslogg" in client_as("administrator").get("/logg/").content.decode()


def test_upload_limit_and_validation(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    big = SimpleUploadedFile("stor.yaml", b"#" * (1024 * 1024 + 1))
    response = client.post(f"/bedomning/{a.pk}/import/", {"version": a.version, "fil": big})
    assert response.status_code == 400 and "större än 1 MB" in response.content.decode()
    bad = SimpleUploadedFile("fel.yaml", a.current.text.replace("typ: självvärdering", "typ: gissning").encode())
    response = client.post(f"/bedomning/{a.pk}/import/", {"version": a.version, "fil": bad})
    assert response.status_code == 400 and "bedomning.typ" in response.content.decode()
    good = SimpleUploadedFile("ny.yaml", a.current.text.replace("schemalagd: nej", "schemalagd: ja").encode())
    response = client.post(f"/bedomning/{a.pk}/import/", {"version": a.version, "fil": good})
    assert response.status_code == 302


def test_login_throttled_after_five_failures(demo, db):
    from django.test import Client

    from web.app import security

    security.reset()
    client = Client()
    for _ in range(5):
        assert (
            "Fel användarnamn eller lösenord"
            in client.post("/logga-in/", {"username": "inspektor", "password": "fel"}).content.decode()
        )
    response = client.post("/logga-in/", {"username": "inspektor", "password": "fel"})
    assert response.status_code == 429 and "För många misslyckade inloggningar" in response.content.decode()
    security.reset()


def test_csrf_and_security_headers(client_as):
    client = client_as("verksamhetschef", enforce_csrf_checks=True)
    a = latest(LINDEN)
    assert client.post(f"/bedomning/{a.pk}/omrade/D/", {"version": a.version}).status_code == 403
    for url in ("/", f"/bedomning/{a.pk}/", f"/bedomning/{a.pk}/omrade/A/", "/logga-in/", "/tillganglighet/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, url
        assert response["Referrer-Policy"] == "same-origin" and response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert (
            "<script>" not in html
            and "<style" not in html
            and " style=" not in html
            and " on" not in re.sub(r"<[^>]*>", "", "")
        )


@pytest.mark.parametrize("url", ["/", "/uppfoljning/", "/region/"])
def test_anonymous_is_sent_to_login(demo, db, url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


def test_oversized_request_refused_and_no_open_redirect(demo, db):
    from django.test import Client

    from web.app import security

    client = Client()
    response = client.post("/logga-in/", data=b"x" * 10, content_type="text/plain", CONTENT_LENGTH=str(4 * 1024 * 1024))
    assert response.status_code == 413
    security.reset()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="studierektor")
    user.set_password("ett-langt-testlosenord")
    user.save()
    for target, expected in (
        ("//evil.example/", "/"),
        ("/\\\\evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/region/", "/region/"),
    ):
        response = Client().post(
            "/logga-in/", {"username": "studierektor", "password": "ett-langt-testlosenord", "next": target}
        )
        assert response.status_code == 302 and response["Location"] == expected, target
    security.reset()


def test_a_verksamhetschef_cannot_turn_a_self_assessment_into_an_inspection(client_as):
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    response = client.post(f"/bedomning/{a.pk}/uppgifter/", {"version": a.version, "bedomning.typ": "inspektion"})
    assert response.status_code == 400 and "har ingen roll som får ändra inspektion" in response.content.decode()
    a.refresh_from_db()
    assert a.kind == "självvärdering"


def test_start_page_shows_each_areas_grade_apart(client_as):
    """The latest grades A–H one letter each (a run of letters like 'AAAABABD' was hard to read), and the
    provisional areas named."""
    html = client_as("verksamhetschef").get("/").content.decode()
    a = latest(LINDEN)
    row = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{LINDEN}</a></th>.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<span class="grade grade-([A-H])">\1</span>', row) == list(a.grades)
    named = ", ".join(a.provisional[:-1]) + (" och " if len(a.provisional) > 1 else "") + a.provisional[-1:]
    assert (f"(preliminärt i {named})" in row) == bool(a.provisional)


def test_the_grade_after_a_save_is_the_saved_texts_also_when_pages_were_graded_before(client_as):
    """The pages keep what they graded per stored text (web/app/actions.py): after each save the area shows the new
    version's grade, the one the store recorded, though the page before it was graded in this process."""
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/omrade/C/"
    grade = re.compile(r"Områdets betyg nu \(version (\d+)\): <strong>([A-F])</strong>")

    def shown(html: str) -> tuple[int, str]:
        version, letter = grade.search(html).groups()
        return int(version), letter

    first = shown(client.get(url).content.decode())
    assert first == (a.version, a.grades[2])
    for answer, underlag in (("nej", "Rundvandring"), ("ja", "Rundvandring igen")):
        fields = {"intyganden.C-01.svar": answer, "intyganden.C-01.underlag": underlag}
        response = client.post(url, {"version": a.version, **fields})
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        a.refresh_from_db()
        assert shown(html) == (a.version, a.grades[2]) and a.version > first[0]
        assert (a.grades[2] == first[1]) == (answer == "ja")


def test_the_page_after_a_save_is_the_same_from_any_worker(client_as, tmp_path):
    """A save hands the grading that validated its text to the page it redirects to, in its own process and through
    the directory the workers of `spur serve` share (web/app/shared.py): the page another worker shows from it is
    the page graded afresh from the stored text."""
    from web.app import actions, shared
    from web.app import evidence_form as ef

    def another_worker() -> None:
        actions.REPORTS.clear()
        ef.STORED.clear()

    def page(url: str) -> str:
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/omrade/C/"
    shared.use(tmp_path)
    try:
        another_worker()
        page(url)
        response = client.post(url, {"version": a.version, "intyganden.C-01.svar": "nej"})
        assert response.status_code == 302
        another_worker()
        handed = page(response["Location"])
        assert any(p.name.startswith("report-") for p in tmp_path.iterdir())
    finally:
        shared.use(None)
    another_worker()
    a.refresh_from_db()
    assert f"Områdets betyg nu (version {a.version}): <strong>{a.grades[2]}</strong>" in handed
    assert handed == page(response["Location"])


def test_what_a_save_keeps_of_its_text_is_what_reading_the_text_gives(client_as):
    """A save keeps the form's values of its new text and where they stand, from the nodes its grading parsed (web/
    app/evidence_form.py keep_parsed): the same as reading the text anew."""
    from web.app import evidence_form as ef
    from web.store.engine_calls import normalise

    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/omrade/D/"
    fields = {"intyganden.D-01.underlag": "Nytt underlag", "st_lakare[1].iup.senast_reviderad": "2025-02-03"}
    assert client.post(url, {"version": a.version, **fields}).status_code == 302
    a.refresh_from_db()
    text = normalise(a.current.text)

    def not_kept():
        raise AssertionError("not kept")

    assert ef.STORED.get((text,), not_kept) == ef.load(text)
    assert ef.POSITIONS.get((text,), not_kept) == ef._positions(text)
    assert ef.get(ef.stored(a.current.text), ("intyganden", "D-01", "underlag")) == "Nytt underlag"


def test_an_answer_changed_back_is_saved(client_as):
    """Changing an answer and then changing it back makes the first text current again as a new version (the
    second save once found that text among the earlier versions, saved nothing, and said 'Sparat')."""
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    url = f"/bedomning/{a.pk}/omrade/C/"
    for answer in ("nej", "ja"):
        assert client.post(url, {"version": a.version, "intyganden.C-01.svar": answer}).status_code == 302
        a.refresh_from_db()
    assert "C-01: {svar: ja," in a.current.text
    assert a.current.sha256 == a.versions.get(number=a.version - 2).sha256
