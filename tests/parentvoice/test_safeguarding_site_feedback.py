"""Safeguarding and website feedback: screened as it arrives, held on the staff screens while a case is
open, a flag button for officers, and the lead given only the reply address they chose to give."""

import pytest

from parentvoice.accounts import roles
from parentvoice.models import SiteFeedback
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.registry import get_source
from parentvoice.safeguarding.services import HELD_TEXT, flag_by_hand


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting term list (a transactional test's flush removes what the migration seeded)."""


@pytest.mark.django_db(transaction=True)
def test_website_feedback_is_screened_as_it_arrives(client, home_page, run_tasks):
    data = {"trying_to_do": "Find help", "ease": "easy", "improve": "My partner hits me and the kids"}
    assert client.post("/website-feedback/", data).status_code == 302
    client.post("/website-feedback/", {"trying_to_do": "Find a meeting", "ease": "easy"})
    run_tasks()
    case = Case.objects.get()
    feedback = SiteFeedback.objects.get(improve__startswith="My partner")
    assert (case.source_kind, case.source_id) == ("parentvoice.site_feedback", feedback.pk)
    assert case.source_label == "Website feedback"
    assert "My partner hits me" in case.text and "Find help" in case.text


@pytest.mark.django_db
def test_held_feedback_reads_held_on_the_staff_screens(client, home_page, make_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    feedback = SiteFeedback.objects.create(trying_to_do="Something worrying", ease="easy", improve="More")
    officer = make_user(email="officer@example.org", groups=[roles.CONSULTATION_OFFICERS])
    client.force_login(officer)
    inspect_url = f"/admin/site_feedback/inspect/{feedback.pk}/"
    page = client.get(inspect_url).content.decode()
    assert "Something worrying" in page and "Flag a safeguarding concern" in page

    flag_by_hand("parentvoice.site_feedback", feedback.pk, officer, "worried")
    listing = client.get("/admin/site_feedback/").content.decode()
    page = client.get(inspect_url).content.decode()
    for html in (listing, page):
        assert "Something worrying" not in html and HELD_TEXT in html
    assert "Flag a safeguarding concern" not in page


@pytest.mark.django_db
def test_who_can_flag_feedback_and_what_the_lead_is_given(make_user):
    with_email = SiteFeedback.objects.create(trying_to_do="x", ease="easy", email="reply@example.org")
    without = SiteFeedback.objects.create(trying_to_do="y", ease="easy")
    source = get_source("parentvoice.site_feedback")
    officer = make_user(email="officer@example.org", groups=[roles.CONSULTATION_OFFICERS])
    coordinator = make_user(email="coordinator@example.org", groups=[roles.FORUM_COORDINATORS])
    assert source.can_flag(officer, with_email.pk)
    assert not source.can_flag(coordinator, with_email.pk)
    assert source.details(with_email.pk).contact == [("Email for a reply", "reply@example.org")]
    assert source.details(without.pk).contact == []
