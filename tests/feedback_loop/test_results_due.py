"""Officers are reminded, on the dashboard and in the weekly digest, of consultations that closed
RESULTS_DUE_WEEKS (default 4) ago or more and whose results are not published."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback_loop import services
from messaging.models import Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS
from parentvoice.dates import govuk_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultations(make_consultation):
    now = timezone.now()

    def closed(slug, weeks, published=False):
        return make_consultation(
            slug=slug,
            title=f"Consultation {slug}",
            opens_at=now - timedelta(weeks=weeks + 4),
            closes_at=now - timedelta(weeks=weeks),
            results_published=published,
        )

    return {
        "overdue": closed("overdue", 5),
        "just_due": closed("just-due", 4, published=False),
        "recent": closed("recent", 3),
        "published": closed("published", 10, published=True),
    }


def test_closed_weeks_ago_without_results_is_overdue(consultations):
    assert list(services.results_overdue()) == [consultations["overdue"], consultations["just_due"]]


def test_the_weeks_are_a_setting(consultations, settings):
    settings.RESULTS_DUE_WEEKS = 2
    assert consultations["recent"] in services.results_overdue()
    settings.RESULTS_DUE_WEEKS = 6
    assert list(services.results_overdue()) == []


def test_the_dashboard_lists_them_with_a_link_to_edit(client, staff_login, consultations):
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    start = html.index("<h2>Results not published</h2>")
    html = html[start : html.index("</section>", start)]
    page = consultations["overdue"]
    assert f"Consultation overdue (closed {govuk_date(page.closes_at)})" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert "Consultation recent" not in html and "Consultation published" not in html


def test_the_digest_is_sent_for_results_alone(make_user, consultations):
    make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    assert services.send_digest() == 1  # nothing waits for a decision, but results are overdue
    message = Message.objects.get(recipient="officer@example.org")
    assert message.subject == "You said, we did: results not published"
    page = consultations["overdue"]
    assert f"Consultation overdue (closed {govuk_date(page.closes_at)})" in message.body
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in message.body
    assert "waiting for a decision" not in message.body
    assert "Consultation recent" not in message.body


def test_no_digest_when_both_lists_are_empty(make_user, make_consultation):
    make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    now = timezone.now()
    make_consultation(
        opens_at=now - timedelta(weeks=9), closes_at=now - timedelta(weeks=5), results_published=True
    )
    assert services.send_digest() == 0
