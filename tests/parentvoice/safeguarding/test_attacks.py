"""Attacks on safeguarding by staff in other roles (issue #15 review)."""

import pytest

from parentvoice.accounts.roles import (
    CONSULTATION_OFFICERS,
    DECISION_MAKERS,
    FORUM_COORDINATORS,
    SAFEGUARDING_LEADS,
)
from parentvoice.safeguarding import workflow

OTHERS = [CONSULTATION_OFFICERS, FORUM_COORDINATORS, DECISION_MAKERS]


@pytest.mark.django_db
@pytest.mark.parametrize("group", OTHERS)
def test_the_site_history_report_shows_other_roles_no_safeguarding_cases(
    client, staff_login, make_user, make_case, group
):
    lead = make_user(email="lead@example.org", groups=[SAFEGUARDING_LEADS])
    case = make_case(text="My dad hits me")
    workflow.case_viewed(case, lead)
    workflow.record_action(case, "referred", lead, "Called the front door")
    staff_login(group=group)
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        # The action names are in the filter; no case, and not who looked at one.
        assert f"Case {case.pk}" not in html and "lead@example.org" not in html, url


@pytest.mark.django_db
def test_leads_still_see_cases_in_the_site_history_report(client, staff_login, make_case):
    lead = staff_login(group=SAFEGUARDING_LEADS)
    case = make_case(text="My dad hits me")
    workflow.case_viewed(case, lead)
    html = client.get("/admin/reports/site-history/").content.decode()
    assert f"Case {case.pk}" in html
