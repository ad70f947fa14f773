"""Attacks on issue 16's partners and benchmarks: each test failed before its fix."""

import pytest
from django.urls import reverse

from parentvoice.accounts import roles
from surveys.models import Partner, ReachBenchmark

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override: "Sure Start\u202eertnec" reads "Sure Start centre" backwards


def test_a_partners_name_loses_control_characters_and_direction_overrides(client, staff_login):
    staff_login(roles.CONSULTATION_OFFICERS)

    response = client.post(
        reverse("wagtailsnippets_surveys_partner:add"),
        {"name": f"Riverside{RLO} centre\x07\x1b", "kind": "childrens_centre", "district": ""},
    )

    assert response.status_code == 302
    assert Partner.objects.get().name == "Riverside centre"


def test_a_benchmarks_source_loses_control_characters_and_direction_overrides(client, staff_login):
    staff_login(roles.CONSULTATION_OFFICERS)

    response = client.post(
        reverse("wagtailsnippets_surveys_reachbenchmark:add"),
        {
            "district": "",
            "dimension": "parent_role",
            "value": "father",
            "share": "45",
            "source": f"Census{RLO} 2021\x00",
        },
    )
    assert response.status_code == 200  # a NUL is refused, with our words
    assert "cannot" in response.text.lower() or "null" in response.text.lower()

    response = client.post(
        reverse("wagtailsnippets_surveys_reachbenchmark:add"),
        {
            "district": "",
            "dimension": "parent_role",
            "value": "father",
            "share": "45",
            "source": f"Census{RLO} 2021\x1b",
        },
    )
    assert response.status_code == 302
    assert ReachBenchmark.objects.get().source == "Census 2021"
