"""The region's page: each unit's grades across all its assessments, the filters, and a number of queries that does
not grow with the number of units."""

from __future__ import annotations

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.store.conftest import unit_text
from web.store.demo import HOME

LINDEN, EKEN = "Vårdcentralen Linden", "Vårdcentralen Eken"


def _trend_row(html: str, unit: str) -> str:
    table = html[html.index('<table class="matrix trends">') :]
    table = table[: table.index("</table>")]
    return re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(unit)}</th>.*?</tr>", table, re.S).group(0)


def _text(fragment: str) -> str:
    """What a sighted reader sees: tags and the screen-reader-only words removed."""
    fragment = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", fragment)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def test_each_unit_shows_its_grades_across_all_assessments(client_as):
    from web.store.models import Assessment

    html = client_as("regional").get("/region/").content.decode()
    assert "<h2>Betyg över tid</h2>" in html and "<caption" in html
    row = _trend_row(html, LINDEN)
    stored = list(
        Assessment.objects.filter(unit__name=LINDEN, archived=False, current__isnull=False).order_by("date", "pk")
    )
    assert len(stored) >= 2  # the demo's Linden has a history
    cells = re.findall(r'<td class="trend-cell">(.*?)</td>', row, re.S)
    assert len(cells) == 8  # areas A-H
    for i, cell in enumerate(cells):
        letters = [g.grades[i] + ("*" if "ABCDEFGH"[i] in g.provisional else "") for g in stored]
        assert _text(cell) == " → ".join(letters)
        assert cell.count(", sedan") == len(stored) - 1  # read aloud as "D, sedan C"
        assert re.search(r"<strong>[A-H]", cell)  # the latest grade stands out
    for a in stored:
        assert f"<li>{a.date.isoformat()} {a.kind}</li>" in row


def _trend_units(html: str) -> set[str]:
    table = html[html.index('<table class="matrix trends">') :]
    return set(re.findall(r'<th scope="row">([^<]+)</th>', table[: table.index("</table>")]))


def _latest_units(html: str) -> set[str]:
    table = html[html.index("<h2>Enheternas senaste betyg</h2>") : html.index("<h2>Betyg över tid</h2>")]
    return set(re.findall(r'<th scope="row"><a href="/enhet/\d+/">([^<]+)</a>', table))


def test_the_filters_apply_to_both_tables(client_as):
    from web.store.versions import save_assessment

    other = "Vårdcentralen Annan"
    changes = [(("enhet", "specialitet"), "psykiatri")]
    for day in (date(2025, 3, 14), date(2025, 9, 15)):
        save_assessment(unit_text(other, "Vårdgivare Två", HOME, day=day, changes=changes), None)
    client = client_as("regional")
    everyone = client.get("/region/").content.decode()
    assert {LINDEN, EKEN, other} <= _trend_units(everyone) == _latest_units(everyone)
    for query, shown in (
        ({"vardgivare": "Vårdgivare Två"}, {other}),
        ({"specialitet": "psykiatri"}, {other}),
        ({"vardgivare": HOME, "specialitet": "allmänmedicin"}, _trend_units(everyone) - {other}),
        ({"vardgivare": "Vårdgivare Två", "specialitet": "allmänmedicin"}, set()),
    ):
        html = client.get("/region/", query).content.decode()
        assert _trend_units(html) == _latest_units(html) == shown, query
        for value in query.values():
            assert f'<option value="{value}" selected>' in html
    html = client.get("/region/", {"specialitet": "finns-inte"}).content.decode()
    assert "Inga bedömda enheter med det urvalet." in html and "trend-cell" not in html


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/region/").status_code == 200
    return len(ctx.captured_queries)


def test_the_region_page_queries_do_not_grow_with_the_number_of_units(client_as):
    from web.store.versions import save_assessment

    def add(first: int, n: int) -> None:
        for i in range(first, first + n):
            name = f"Vårdcentralen Test {i}"
            save_assessment(unit_text(name, care_provider=HOME, region=HOME), None)
            save_assessment(unit_text(name, care_provider=HOME, region=HOME, day=date(2025, 9, 15)), None)

    client = client_as("regional")
    add(0, 1)
    _count(client)  # the first request reads the catalogue and the session once
    small = _count(client)
    add(1, 5)
    html = client.get("/region/").content.decode()
    assert "Vårdcentralen Test 5" in _text(_trend_row(html, "Vårdcentralen Test 5"))
    assert _count(client) == small
