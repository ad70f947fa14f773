"""Review of issue #13's reminders: a reminder is scheduled (time and wording) when its invitation
starts, so what happens when its time comes and the consultation has changed since."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from messaging import services
from messaging.choices import CampaignKind, CampaignStatus
from messaging.models import Campaign, Message
from parentvoice.dates import govuk_datetime
from surveys import invitations
from surveys.models import ConsultationPage
from tests.factories import ConsentingParentFactory
from tests.surveys import conftest as survey_fixtures

make_consultation = survey_fixtures.make_consultation

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _contact():
    return ConsentingParentFactory(name="Parent", mobile="+447700900150")


def _started_invitation(page, days_before=3):
    _contact()
    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(send_email=False, reminder_days_before=days_before)
    campaign.refresh_from_db()
    services.start_campaign(campaign)
    return campaign, Campaign.objects.get(reminder_for=campaign)


def _move_close(page, closes_at):
    ConsultationPage.objects.filter(pk=page.pk).update(closes_at=closes_at)


def test_no_reminder_once_the_consultation_has_closed(make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=10))
    _, reminder = _started_invitation(page)
    _move_close(page, timezone.now() - timedelta(hours=1))  # closed early
    services.prepare_campaign(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.CANCELLED
    assert not Message.objects.filter(campaign=reminder).exists()


def test_a_changed_closing_time_gets_a_reminder_with_the_new_time_and_wording(make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=10))
    invitation, reminder = _started_invitation(page)
    later = timezone.now() + timedelta(days=20)
    _move_close(page, later)
    services.prepare_campaign(reminder.pk)  # its old time has come
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.CANCELLED
    assert not Message.objects.filter(campaign=reminder).exists()
    fresh = Campaign.objects.get(reminder_for=invitation)
    assert fresh.pk != reminder.pk and fresh.status == CampaignStatus.PREPARING
    assert fresh.send_at == services.reminder_time(later, 3)
    assert govuk_datetime(later, weekday=False) in fresh.sms_template


def test_days_before_a_close_are_counted_on_the_uk_clock_across_a_clock_change():
    # Clocks went back on Sunday 25 October 2026: three days before 7:30pm GMT on the Tuesday is
    # 7:30pm BST on the Saturday (not 8:30pm, outside sending hours, moved to the Sunday).
    closes = datetime(2026, 10, 27, 19, 30, tzinfo=LONDON).astimezone(UTC)  # as the database gives it
    assert services.reminder_time(closes, 3) == datetime(2026, 10, 24, 19, 30, tzinfo=LONDON)
    spring = datetime(2026, 3, 31, 9, 30, tzinfo=LONDON).astimezone(UTC)  # BST began on Sunday 29 March
    assert services.reminder_time(spring, 3) == datetime(2026, 3, 28, 9, 30, tzinfo=LONDON)


def test_publishing_an_earlier_closing_time_moves_the_reminder_at_once(make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=10))
    invitation, reminder = _started_invitation(page)
    page.closes_at = timezone.now() + timedelta(days=2)  # before the reminder's old time
    page.save_revision().publish()
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.CANCELLED and reminder.reminder_for is None
    fresh = Campaign.objects.get(reminder_for=invitation)
    assert fresh.status == CampaignStatus.PREPARING
    assert fresh.send_at <= services.within_sending_hours(timezone.now()) + timedelta(seconds=5)
    # Its own time, when it comes, is not taken for a change: it is prepared, not replaced again.
    services.prepare_campaign(fresh.pk)
    fresh.refresh_from_db()
    assert fresh.status != CampaignStatus.CANCELLED
    assert Campaign.objects.filter(kind=CampaignKind.REMINDER).count() == 2


def test_publishing_without_changing_the_closing_time_leaves_the_reminder(make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=10))
    invitation, reminder = _started_invitation(page)
    page.title = "Support for parents and carers"
    page.save_revision().publish()
    assert Campaign.objects.get(reminder_for=invitation) == reminder
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.PREPARING
