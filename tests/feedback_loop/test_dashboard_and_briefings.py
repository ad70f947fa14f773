"""Closing a consultation with feedback, the overdue flag and figures on the officers' dashboard, the
decision makers' briefing (HTML and PDF) and their weekly digest."""

import importlib.util
import os
import re
import zlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from feedback_loop import services
from feedback_loop.models import FeedbackClosure, FeedbackItem
from messaging.models import Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS, FORUM_COORDINATORS

from .conftest import evidence

pytestmark = pytest.mark.django_db


def _school_item(make_item, page, **fields):
    return make_item(consultation=page, evidence=evidence(page, "first-place", "school"), **fields)


def test_closing_with_feedback_needs_a_decision_for_every_item(closed_consultation, make_item, make_decision):
    page = closed_consultation
    with pytest.raises(services.FeedbackError, match="there are none yet"):
        services.close_with_feedback(page)
    first, second = _school_item(make_item, page), _school_item(make_item, page, summary="Second point")
    make_decision([first])
    make_decision([second], publish=False)
    with pytest.raises(services.FeedbackError, match="1 'You said' item still needs a published decision"):
        services.close_with_feedback(page)
    make_decision([second], status="not_agreed")
    services.close_with_feedback(page)
    assert FeedbackClosure.objects.filter(consultation=page).exists()
    assert PageLogEntry.objects.filter(action="feedback.closed", page=page).exists()
    with pytest.raises(ValidationError, match="closed with feedback"):
        FeedbackItem(
            summary="Late",
            theme=first.theme,
            consultation=page,
            evidence=evidence(page, "first-place", "school"),
        ).full_clean()
    services.reopen_feedback(page)
    assert not FeedbackClosure.objects.exists()


def test_an_open_consultation_cannot_be_closed_with_feedback(make_consultation):
    page = make_consultation()
    assert services.closure_problem(page) == "The consultation has not closed yet."


def test_officers_close_from_the_dashboard(
    client, staff_login, closed_consultation, make_item, make_decision
):
    page = closed_consultation
    item = _school_item(make_item, page)
    staff_login(CONSULTATION_OFFICERS)
    response = client.post(reverse("feedback_close", args=[page.pk]), follow=True)
    assert (
        "cannot be closed with feedback yet: 1 &#x27;You said&#x27; item still needs"
        in response.content.decode()
    )
    make_decision([item])
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "Mark closed with feedback" in html
    response = client.post(reverse("feedback_close", args=[page.pk]), follow=True)
    assert "is closed with feedback" in response.content.decode()
    assert FeedbackClosure.objects.get().closed_by.email == "consultation@example.org"


def test_overdue_items_after_the_configured_weeks(settings, make_consultation, make_item, make_decision):
    now = timezone.now()
    page = make_consultation(opens_at=now - timedelta(weeks=20), closes_at=now - timedelta(weeks=13))
    waiting = _school_item(make_item, page)
    decided = _school_item(make_item, page, summary="Decided")
    make_decision([decided])
    _school_item(make_item, page, summary="Draft", publish=False)
    assert list(services.overdue_items()) == [waiting]
    settings.FEEDBACK_DECISION_DUE_WEEKS = 14
    assert list(services.overdue_items()) == []


def test_consultations_nobody_has_written_up_are_flagged(make_consultation):
    now = timezone.now()
    old = make_consultation(
        slug="old", opens_at=now - timedelta(weeks=20), closes_at=now - timedelta(weeks=13)
    )
    make_consultation(slug="recent", opens_at=now - timedelta(weeks=5), closes_at=now - timedelta(weeks=1))
    assert list(services.consultations_without_items()) == [old]


def test_dashboard_figures(client, staff_login, make_consultation, make_item, make_decision):
    now = timezone.now()
    page = make_consultation(opens_at=now - timedelta(weeks=20), closes_at=now - timedelta(weeks=13))
    closed_on = timezone.localtime(page.closes_at).date()
    for days in (10, 20, 60):
        make_decision([_school_item(make_item, page)], decided_on=closed_on + timedelta(days=days))
    _school_item(make_item, page, summary="Nobody has decided this")
    metrics = services.metrics()
    assert (metrics.items, metrics.decided, metrics.decided_share, metrics.median_days_to_decision) == (
        4,
        3,
        75,
        20,
    )
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "75% (3 of 4)" in html and "20 days" in html
    assert "Nobody has decided this" in html  # overdue after 12 weeks
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1</strong> thing parents said is overdue for a decision" in home


def test_the_briefing(client, staff_login, closed_consultation, answer, make_item, make_decision):
    page = closed_consultation
    for first_place in ["school"] * 6 + ["health"] * 2:
        answer(page, first_place=first_place, free_text="A private story about my family")
    decided = _school_item(make_item, page, quotes=[("Schools are where I look.", True)])
    make_decision([decided], status="under_consideration", due_on=timezone.localdate() + timedelta(days=30))
    _school_item(make_item, page, summary="Nobody has decided this")
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_briefing", args=[page.pk])).content.decode()
    assert "<svg" in html and "My child&#x27;s school or nursery" in html
    assert "fewer than 5" in html  # the 2 'health' answers
    assert "Nobody has decided this" in html and "under consideration by Children&#x27;s Trust Board" in html
    assert "Schools are where I look." in html
    assert "A private story" not in html


def test_forum_coordinators_cannot_read_briefings(client, staff_login, closed_consultation):
    staff_login(FORUM_COORDINATORS)
    response = client.get(reverse("feedback_briefing", args=[closed_consultation.pk]))
    assert (response.status_code, response.url) == (302, "/admin/")


def _weasyprint_loads():
    if importlib.util.find_spec("weasyprint") is None:
        return False
    try:
        import weasyprint  # noqa: F401
    except OSError:  # Pango missing
        return False
    return True


@pytest.mark.skipif(
    not _weasyprint_loads() and not os.environ.get("PARENTVOICE_REQUIRE_PDF"),
    reason="WeasyPrint or Pango is not installed (CI sets PARENTVOICE_REQUIRE_PDF so this cannot skip there)",
)
def test_the_briefing_downloads_as_a_pdf(client, staff_login, closed_consultation, answer, make_item):
    page = closed_consultation
    for _ in range(6):
        answer(page, first_place="school")
    _school_item(make_item, page)
    staff_login(CONSULTATION_OFFICERS)
    response = client.get(reverse("feedback_briefing_pdf", args=[page.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="briefing-{page.slug}.pdf"'
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    # Tagged for screen readers (PDF/UA-1), with its title and language.
    pdf = _pdf_text(response.content)
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert b"/Lang (en-GB)" in pdf
    assert f"/Title (Briefing: {page.title})".encode() in pdf
    assert b"pdfuaid:part" in pdf


def _pdf_text(pdf):
    """The PDF with its compressed streams (object streams, metadata) inflated, to search."""
    inflated = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    return pdf + b"".join(inflated)


def test_the_weekly_digest(make_user, closed_consultation, make_item, make_decision):
    page = closed_consultation
    make_user(email="board@example.org", groups=[DECISION_MAKERS], first_name="Pat")
    make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    make_user(email="coordinator@example.org", groups=[FORUM_COORDINATORS])
    assert services.send_digest() == 0  # nothing waiting: no email
    _school_item(make_item, page, summary="Parents want texts")
    out = StringIO()
    call_command("send_decision_digest", stdout=out)
    assert out.getvalue().strip() == "Decision digest: 2 emails queued."
    assert services.send_digest() == 0  # once a week
    message = Message.objects.get(recipient="board@example.org")
    assert message.subject == "You said, we did: waiting for a decision"
    assert "Hello Pat" in message.body and "- Parents want texts" in message.body
    assert f"/admin/feedback/briefing/{page.pk}/" in message.body
    assert not Message.objects.filter(recipient="coordinator@example.org").exists()


def test_the_demo_closes_the_loop(demo):
    from feedback_loop.models import Decision, OutcomeNotice
    from messaging.services import audience_size

    page = FeedbackItem.objects.filter(consultation__isnull=False).first().consultation
    assert page.has_closed and page.results_published
    # Five on what parents said in consultations and meetings, one on what a parent told us (Tell us).
    assert Decision.objects.filter(live=True).count() == 6
    assert services.overdue_items().count() == 1
    notices = OutcomeNotice.objects.select_related("campaign")
    assert notices.count() == 7  # the Tell us decision's notice to the parent who asked to hear back
    assert sum(audience_size(n.campaign) for n in notices) > 0


def test_the_briefing_counts_each_invited_person_once(client, staff_login, closed_consultation, make_contact):
    from messaging.models import Campaign
    from parentvoice.models import District

    page = closed_consultation
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    campaign = Campaign.objects.create(
        name="Invite", kind="reminder", purpose="consultations", link_personaliser=f"consultation:{page.pk}"
    )
    for n, (district, channels) in enumerate([(dover, ["sms", "email"]), (None, ["sms"])]):
        contact = make_contact(f"P{n}", mobile=f"+4477009002{n:02d}")
        contact.district = district
        contact.save()
        for channel in channels:  # two messages to one person is still one person invited
            Message.objects.create(
                campaign=campaign, contact=contact, channel=channel, recipient="x", body="x",
                idempotency_key=f"{n}-{channel}",
            )  # fmt: skip
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(reverse("feedback_briefing", args=[page.pk])).content.decode()
    assert "2 people were invited by text or email." in html


def test_the_dashboard_follows_permissions_not_group_names(client, staff_login, closed_consultation):
    """A role is a set of permissions: someone given them directly (not through a named group) may
    see the dashboard, and only those who may publish 'You said' items may close a consultation."""
    from django.contrib.auth.models import Permission

    user = staff_login()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client.get(reverse("feedback_dashboard")).status_code == 302
    user.user_permissions.add(Permission.objects.get(codename="view_decision"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    client.force_login(user)
    assert client.get(reverse("feedback_dashboard")).status_code == 200
    response = client.post(reverse("feedback_close", args=[closed_consultation.pk]))
    assert (response.status_code, response.url) == (302, "/admin/")
    user.user_permissions.add(Permission.objects.get(codename="publish_feedbackitem"))
    client.force_login(type(user).objects.get(pk=user.pk))
    response = client.post(reverse("feedback_close", args=[closed_consultation.pk]))
    assert response.url == reverse("feedback_dashboard")
