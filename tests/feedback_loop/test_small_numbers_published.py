"""Briefings and the public log follow the small-numbers rule: a hidden count cannot be worked out by
subtracting what is shown from a total, or from the number of people a 'You said' item rests on."""

import re

import pytest
from django.urls import reverse

from parentvoice.accounts.roles import DECISION_MAKERS

from .conftest import evidence

pytestmark = pytest.mark.django_db


def _figures(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_briefing_hides_what_would_give_a_small_number_away(
    client, staff_login, closed_consultation, answer, make_item
):
    page = closed_consultation
    for first_place in ["school"] * 6 + ["health"] * 2:
        answer(page, first_place=first_place)
    make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    staff_login(DECISION_MAKERS)
    text = _figures(client.get(reverse("feedback_briefing", args=[page.pk])).content.decode())
    assert "8 responses" in text  # the total is shown...
    assert "fewer than 5" in text  # ...the 2 'health' answers are hidden...
    assert "6 (75%)" not in text and "not shown" in text  # ...and so is the 6 that gives them away
    assert "6 people" not in text and "about 5 people" in text  # the item's 6, rounded


def test_the_briefing_reach_and_role_tables_hide_a_second_count(
    client, staff_login, closed_consultation, answer
):
    from parentvoice.models import District
    from surveys.models import Response

    page = closed_consultation
    for _ in range(9):
        answer(page)
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    Response.objects.filter(pk__in=Response.objects.order_by("pk").values("pk")[:2]).update(
        district=dover, parent_role="grandparent"
    )
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_briefing", args=[page.pk])).content.decode()
    # 9 responses: Dover 2 and "Not known" 7 in the reach table; 2 grandparents and 7 "Not known" roles.
    assert ">7<" not in html
    assert html.count("not shown") >= 2


def test_the_public_log_rounds_the_people_behind_an_item(
    client, log_page, closed_consultation, answer, make_item, make_decision
):
    page = closed_consultation
    for first_place in ["school"] * 7 + ["health"] * 2:
        answer(page, first_place=first_place)
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    make_decision([item])
    html = client.get(log_page.url).content.decode()
    assert "7 people said this" not in html and "about 5 people said this" in html
    decision_page = client.get(log_page.decision_url(item.decisions.get().pk)).content.decode()
    assert "7 people said this" not in decision_page
