"""The RSS and Atom feeds show only what parents said on published, public consultations and meetings:
a decision that also answers an unpublished or password-protected consultation names nothing of it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feedback_loop import services

from .conftest import evidence

pytestmark = pytest.mark.django_db

PUBLIC, UNPUBLISHED, PROTECTED = (
    "Said on the public consultation.",
    "Said on a consultation taken down.",
    "Said on a password-protected consultation.",
)


@pytest.fixture
def mixed_decision(log_page, make_consultation, make_item, make_decision):
    now = timezone.now()
    closed = {"opens_at": now - timedelta(days=40), "closes_at": now - timedelta(days=10)}
    pages = {
        summary: make_consultation(title=summary, slug=f"c{n}", **closed)
        for n, summary in enumerate((PUBLIC, UNPUBLISHED, PROTECTED))
    }
    items = [
        make_item(summary=summary, consultation=page, evidence=evidence(page, "first-place", "school"))
        for summary, page in pages.items()
    ]
    decision = make_decision(items, summary="One decision about all three.")
    pages[UNPUBLISHED].unpublish()
    PageViewRestriction.objects.create(page=pages[PROTECTED], restriction_type="password", password="x")
    return decision


@pytest.mark.parametrize("feed", ["feed/", "feed/atom/"])
def test_feeds_name_only_what_was_said_on_public_pages(client, log_page, mixed_decision, feed):
    body = client.get(f"{log_page.url}{feed}").content.decode()
    assert "One decision about all three." in body
    assert PUBLIC in body
    assert UNPUBLISHED not in body and PROTECTED not in body


def test_a_decision_only_about_private_pages_is_in_no_feed(client, log_page, mixed_decision):
    public = mixed_decision.feedback_items.get(summary=PUBLIC)
    public.consultation.unpublish()
    assert list(services.public_decisions()) == []
    for feed in ("feed/", "feed/atom/"):
        assert "One decision about all three." not in client.get(f"{log_page.url}{feed}").content.decode()


def test_the_log_the_decision_page_and_the_feeds_agree(client, log_page, mixed_decision):
    """One queryset decides what is public: every public view lists the same items."""
    (decision,) = services.public_decisions()
    assert [item.summary for item in decision.feedback_items.all()] == [PUBLIC]
    html = client.get(log_page.decision_url(mixed_decision.pk)).content.decode()
    assert PUBLIC in html and UNPUBLISHED not in html and PROTECTED not in html
