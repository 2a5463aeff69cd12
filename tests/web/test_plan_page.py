"""The handlingsplan page: each area's verdict and the tool's warnings (engine/plan_advice.py) as the inspectors
decide, in the inspector's and the verksamhetschef's views, and a late plan flagged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

LINDEN = "Vårdcentralen Linden"
SAME = "Samma åtgärd som {} – kontrollera att den täcker kravet."


@pytest.fixture
def plan(demo, db):
    from web.store.models import Plan

    return Plan.objects.filter(assessment__unit__name=LINDEN).order_by("assessment__date").first()


def _section(html: str, n: int) -> str:
    return re.search(rf'<section class="plan-row" id="rad-{n}".*?</section>', html, re.S).group(0)


def _warnings(section: str) -> list[str]:
    block = re.search(r'<div class="plan-warnings".*?</div>', section, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(0)) if block else []


def _cli_warnings(plan) -> list[str]:
    """What `spur report` says about the plan's rows, per area ("H-06: …")."""
    from web.app import actions

    return [w for a in actions.report_input(plan.assessment).result.areas for w in a.plan_warnings]


@pytest.mark.parametrize("who", ["inspektor", "verksamhetschef"])
def test_each_row_shows_the_tools_warnings_and_each_area_its_verdict(client_as, plan, who):
    html = client_as(who).get(f"/handlingsplan/{plan.pk}/").content.decode()
    rows = re.findall(r'<section class="plan-row" id="rad-(\d+)"', html)
    shown = []
    for n in map(int, rows):
        section = _section(html, n)
        krav = re.search(r'<span class="id">([A-H]-\d+)</span>', section).group(1)
        shown += [f"{krav}: {w}" for w in _warnings(section)]
    assert sorted(shown) == sorted(_cli_warnings(plan))  # the same warnings as the CLI's report
    assert _warnings(_section(html, 1)) == [SAME.format("H-06")]
    assert _warnings(_section(html, 3)) == [
        SAME.format("D-07"),
        "Åtgärden har inget ord gemensamt med kravet – kontrollera att den täcker kravet.",
    ]
    assert _warnings(_section(html, 2)) == []
    verdicts = re.search(r'<ul class="verdicts">(.*?)</ul>', html, re.S).group(1)
    assert "gradering justerad till C." in verdicts and "gradering D kvarstår." in verdicts
    assert '<a href="#rad-3">rad 3 (H-06)</a>' in verdicts  # from the area to its row
    assert ("godkand" in html) == (who == "inspektor")  # only the inspectors decide


def test_a_warning_appears_when_a_row_loses_its_owner(client_as, plan):
    client = client_as("verksamhetschef")
    url = f"/handlingsplan/{plan.pk}/"
    response = client.post(url, {"version": plan.version, "rader[2].ansvarig_genomforande": ""})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Ansvarig för genomförandet saknas." in _warnings(_section(html, 2))
    assert '<a href="#rad-2">rad 2 (E-08)</a>' in html


def test_late_submission_is_flagged(client_as, plan):
    client = client_as("verksamhetschef")
    url = f"/handlingsplan/{plan.pk}/"
    html = client.get(url).content.decode()
    assert "Sent inlämnad" not in html and "efter sista dag" not in html
    late = (plan.deadline + timedelta(days=1)).isoformat()
    assert client.post(url, {"version": plan.version, "inlamnad": late}).status_code == 302
    html = client_as("inspektor").get(url).content.decode()
    assert f"<strong>Sent inlämnad:</strong> planen lämnades in {late}, efter sista inlämningsdagen" in html
    # the verdict of an area at D names it, as the report does
    assert f"Handlingsplanen inkom {late}, efter sista dag {plan.deadline.isoformat()}." in html


def test_an_unsubmitted_plan_past_its_deadline_is_flagged(client_as, plan):
    client = client_as("verksamhetschef")
    url = f"/handlingsplan/{plan.pk}/"
    assert client.post(url, {"version": plan.version, "inlamnad": ""}).status_code == 302
    before = client.get(url, {"idag": plan.deadline.isoformat()}).content.decode()
    after = client.get(url, {"idag": (plan.deadline + timedelta(days=1)).isoformat()}).content.decode()
    assert "<strong>Försenad:</strong>" not in before
    assert f"<strong>Försenad:</strong> sista inlämningsdagen {plan.deadline.isoformat()} har passerat" in after


def test_the_verdict_follows_the_inspectors_decision(client_as, plan):
    client = client_as("inspektor")
    url = f"/handlingsplan/{plan.pk}/"

    def verdict(area: str) -> str:
        html = client.get(url).content.decode()
        items = re.search(r'<ul class="verdicts">(.*?)</ul>', html, re.S).group(1)
        return re.search(rf"<li><strong>{area}\. .*?</li>", items, re.S).group(0)

    assert "gradering D kvarstår." in verdict("H")
    response = client.post(url, {"version": plan.version, "rader[3].godkand": "ja"})
    assert response.status_code == 302
    after = verdict("H")
    assert "gradering justerad till C." in after and "Godkänd rad: H-06." in after
    assert '<a href="#rad-3">rad 3 (H-06)</a>' in after  # the warnings stay until the row itself changes


def test_the_stored_verdicts_are_shown_when_the_plan_cannot_be_graded_again(client_as, plan, monkeypatch):
    from evidence.errors import UsageError
    from web.app import actions

    def refuse(a):
        raise UsageError("planen hör inte till bedömningen")

    monkeypatch.setattr(actions, "report_input", refuse)
    html = client_as("inspektor").get(f"/handlingsplan/{plan.pk}/").content.decode()
    verdicts = re.search(r'<ul class="verdicts">(.*?)</ul>', html, re.S).group(1)
    assert plan.verdicts and all(
        f"<strong>{area}: {v['text']}</strong>" in verdicts for area, v in plan.verdicts.items()
    )
    assert _warnings(_section(html, 1)) == [SAME.format("H-06")]  # the rows' warnings need only the plan
