"""What issue 19's acceptance walk (each role in a browser on the demo data, the screenshots read as a Swedish user
would) found, each kept fixed here: Swedish names where the file's keys showed, what was typed kept after a refused
save, a summary of the errors at the top of the long pages, the clock in Swedish time, no YAML advice in the form."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

from tests.web.conftest import latest

LINDEN, EKEN, ASPEN = "Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"


def text_of(response) -> str:
    return htmllib.unescape(response.content.decode())


def refused(client, url: str, fields: dict[str, str]) -> tuple[str, str]:
    """A save refused (400): the page, and its summary of the errors."""
    response = client.post(url, fields)
    assert response.status_code == 400
    page = text_of(response)
    return page, re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)


def test_the_unit_page_names_its_sections_in_swedish_and_labels_start_with_a_capital(client_as):
    a = latest(LINDEN)
    page = text_of(client_as("verksamhetschef").get(f"/bedomning/{a.pk}/uppgifter/"))
    legends = re.findall(r"<legend>([^<]*)</legend>", page)
    assert legends[:1] == ["Enheten"] and "Bedömningen" in legends and "Studierektorn" in legends
    assert "bedomning" not in legends and "enhet" not in legends  # the file's keys, one without its ö
    assert re.search(r'<label for="f-enhet-namn">Enhetens namn <span class="req">', page)


def test_area_page_says_where_the_plan_is_drafted_and_where_lists_are_filled_in(client_as):
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    page = text_of(client.get(f"/bedomning/{a.pk}/omrade/G/"))
    assert "ST-läkare – presentationer fylls i per person under" in page
    assert "ST-läkare: presentationer: fylls i" not in page
    # an area at D without a plan: the report's 'se utkastet under HANDLINGSPLAN' names a section the page lacks
    inspector = client_as("inspektor")
    eken = latest(EKEN)
    page = text_of(inspector.get(f"/bedomning/{eken.pk}/omrade/D/"))
    assert "En handlingsplan behövs för området; skapa ett utkast under Handlingsplan på bedömningens översikt." in page
    assert "se utkastet under HANDLINGSPLAN" not in page


def test_overview_warnings_name_the_field_not_the_file_position(client_as):
    from web.app.render import plain_warning

    line = "Linden 2026-11-30 (självvärdering):122:5: st_lakare[1].senaste_kompetensbedomning: läses inte längre."
    assert plain_warning(line) == "ST-läkare 1, senaste dokumenterade kompetensbedömning: läses inte längre."
    client = client_as("verksamhetschef")
    a = latest(LINDEN)
    response = client.post(
        f"/bedomning/{a.pk}/personer/", {"version": a.version, "st_lakare[1].senaste_kompetensbedomning": "2025-05-01"}
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/bedomning/{a.pk}/"))
    warning = re.search(r"<h2>Att kontrollera</h2>\s*<ul>(.*?)</ul>", page, re.S).group(1)
    assert "ST-läkare 1, senaste dokumenterade kompetensbedömning: " in warning
    assert not re.search(r":\d+:\d+:", warning) and "st_lakare[1]" not in warning
    # the unit's other assessments with their grades as letters, not 'AAAABABD'
    assert re.search(r"</a>: <span class=\"grade-letters\">", page)


def test_compare_refused_keeps_what_was_typed_and_says_which_field(client_as):
    client = client_as("inspektor")
    a = latest(ASPEN, "förbedömning")
    url = f"/bedomning/{a.pk}/jamfor/"
    page = text_of(client.get(url))
    assert "motorns" not in page and "– utfallet enligt underlaget gäller –" in page
    assert "(dokument." not in page and "(st_lakare[" not in page  # the reasons without the file's key paths
    page, summary = refused(client, url, {
        "version": a.version,
        "inspektorsbedomningar.E-10.utfall": "ej uppfyllt",
        "inspektorsbedomningar.E-05.motivering": "Rutinen är inte känd av handledarna.",
    })  # fmt: skip
    assert "Det gick inte att spara: 2 fel" in summary
    assert '<a href="#m-E-10">E-10, motivering: måste fyllas i.</a>' in summary
    assert '<a href="#o-E-05">E-05, utfall: måste fyllas i.</a>' in summary
    assert "Lägg till '" not in page  # the CLI's advice for the YAML file
    assert re.search(r'<select id="o-E-10"[^>]*>.*?<option value="ej uppfyllt" selected>', page, re.S)
    assert re.search(r'<textarea id="m-E-05"[^>]*>Rutinen är inte känd av handledarna.</textarea>', page)


def test_plan_refused_keeps_what_was_typed_and_tells_how_to_submit(client_as):
    from web.store.models import Plan

    inspector = client_as("inspektor")
    eken = latest(EKEN)
    response = inspector.post(f"/bedomning/{eken.pk}/handlingsplan/")
    assert response.status_code == 302
    plan = Plan.objects.get(pk=int(response["Location"].split("/")[2]))
    url = f"/handlingsplan/{plan.pk}/"
    page = text_of(inspector.get(url))
    assert "Så lämnar du in planen: när raderna är klara, skriv dagens datum här och spara." in page
    page, summary = refused(inspector, url, {
        "version": plan.version,
        "rader[1].anteckningar": "En anteckning som inte får försvinna.",
        "rader[1].datum_uppfoljning": "i vår",
    })  # fmt: skip
    assert re.search(
        r'<textarea id="f-rader-1--anteckningar"[^>]*>En anteckning som inte får försvinna.</textarea>', page
    )
    assert '<a href="#f-rader-1--datum_uppfoljning">Rad 1, datum för uppföljning: ogiltigt datum' in summary
    plan.refresh_from_db()
    assert "En anteckning som inte får försvinna." not in plan.current.text  # refused: nothing saved
    response = inspector.post(url, {"version": plan.version, "inlamnad": "2026-04-01"})
    assert response.status_code == 302
    assert "Så lämnar du in planen" not in text_of(inspector.get(url))


def test_times_are_shown_in_swedish_time_and_audit_events_in_swedish(client_as):
    from django.contrib.auth import get_user_model

    from web.store.models import CalendarToken

    user = get_user_model().objects.get(username="studierektor")
    CalendarToken.objects.create(user=user, token_sha256="0" * 64, created_at=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    page = text_of(client_as("studierektor").get("/uppfoljning/"))
    assert "Prenumeration skapad 2026-06-01 12:00" in page  # CEST, not the stored UTC
    page = text_of(client_as("administrator").get("/logg/"))
    assert "<td>skapad</td>" in page and "<td>created</td>" not in page and "<td>new_version</td>" not in page


def test_who_may_only_read_gets_no_inputs_to_type_into(client_as):
    """The verksamhetschef reads the inspectors' assessment: its people and details were 171 live inputs with no
    button to save them; now disabled, with a sentence that says why."""
    a = latest(LINDEN, "förbedömning")
    for part in ("personer", "uppgifter"):
        page = text_of(client_as("verksamhetschef").get(f"/bedomning/{a.pk}/{part}/"))
        assert "Du kan läsa men inte ändra uppgifterna i den här bedömningen." in page
        assert '<fieldset class="plain" disabled>' in page and "Spara</button>" not in page
        assert "Lägg till en person i den tomma posten" not in page
    page = text_of(client_as("inspektor").get(f"/bedomning/{a.pk}/personer/"))
    assert "disabled>" not in page and "Lägg till en person i den tomma posten" in page
