"""Inviting parents to a consultation on an empty site, end to end: an officer clicks "Invite parents",
asks for a reminder, checks and sends; the tasks run; one parent answers on the web with their link,
another replies YES and answers by text, and the reminder reaches only the third, at 9am to 8pm."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messaging import services as messaging
from messaging.choices import CampaignKind, CampaignStatus, Channel, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from parentvoice.accounts import roles
from surveys import results, services
from surveys.choices import ConversationStatus
from surveys.models import Response, SmsConversation
from tests.factories import ConsentingParentFactory

from .test_answering import REPLIES, _answer_all
from .texting import text

pytestmark = pytest.mark.django_db

PHONES = {"web": "+447700900401", "text": "+447700900402", "silent": "+447700900403"}


def _parent(role):
    return ConsentingParentFactory(name=f"Parent {role}", mobile=PHONES[role])


def _run_tasks_due_before(run_tasks, moment):
    """Run the queued tasks due before `moment` (as if that time had come), leaving later ones."""
    DBTaskResult.objects.filter(status="READY", run_after__lt=moment).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    return run_tasks(due_only=True)


def test_invite_parents_answer_by_web_and_text_and_remind_the_one_who_did_not(
    client, staff_login, make_consultation, run_tasks, settings
):
    settings.SMS_PROVIDER = "outbox"
    closes = timezone.now() + timedelta(days=10)
    page = make_consultation(sms_keyword="SUPPORT", closes_at=closes)
    parents = {role: _parent(role) for role in PHONES}
    Contact.objects.create(name="Never agreed", mobile="+447700900409")

    # The officer invites parents and asks for a reminder 3 days before the close.
    staff_login(roles.CONSULTATION_OFFICERS)
    edit_url = client.post(f"/admin/consultations/{page.pk}/invite/").url
    campaign = Campaign.objects.get()
    assert edit_url == f"/admin/snippets/messaging/campaign/edit/{campaign.pk}/"
    Campaign.objects.filter(pk=campaign.pk).update(send_email=False, reminder_days_before=3)

    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    assert check.context["audience_size"] == 3
    preview = check.context["sms_text"]
    assert "reply YES to answer by text" in preview
    sent = client.post(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    assert sent.status_code == 302
    campaign.refresh_from_db()
    reminder = Campaign.objects.get(reminder_for=campaign)
    assert campaign.status == CampaignStatus.PREPARING
    assert 9 <= timezone.localtime(campaign.send_at).hour < 20
    assert 9 <= timezone.localtime(reminder.send_at).hour < 20
    assert closes - timedelta(days=4) < reminder.send_at < closes

    # The invitations go out (but the reminder's day has not come).
    _run_tasks_due_before(run_tasks, reminder.send_at - timedelta(hours=1))
    invitations = {m.contact_id: m for m in Message.objects.filter(campaign=campaign)}
    assert set(invitations) == {c.pk for c in parents.values()}
    for contact in parents.values():
        message = invitations[contact.pk]
        assert message.status in (MessageStatus.SENT, MessageStatus.DELIVERED)
        assert services.invitation_url(page.pk, contact.pk) in message.body
    # The officer's preview was as long as the longest text sent.
    longest = max(invitations.values(), key=lambda m: m.contact_id)
    assert len(preview) == len(longest.body)
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.PREPARING and not reminder.messages.exists()

    # One parent answers on the web with their own link.
    browser = Client()
    link = re.search(r"https?://\S+/invitation/\S+/", invitations[parents["web"].pk].body).group(0)
    browser.get(link.replace(settings.WAGTAILADMIN_BASE_URL, ""))
    _answer_all(browser, page, REPLIES)
    browser.post(f"/consultations/{page.pk}/check-your-answers/")
    assert Response.objects.get().invitation_key == services.invitation_key(page.pk, parents["web"].pk)

    # Another replies YES to the text and answers by text.
    first = text(browser, settings, "YES", phone=PHONES["text"])
    assert "Support for parents" in first
    for _ in range(15):
        if Response.objects.filter(channel="sms").exists():
            break
        text(browser, settings, "1", phone=PHONES["text"])
    conversation = SmsConversation.objects.get(phone=PHONES["text"])
    assert conversation.invited and conversation.contact_id == parents["text"].pk
    assert conversation.status == ConversationStatus.COMPLETE
    by_text = Response.objects.get(channel="sms")
    assert by_text.invitation_key == services.invitation_key(page.pk, parents["text"].pk)
    # A YES just after the thank-you asks to be told what we decide (test_sms_tell_me.py); a week
    # later it is taken for the invitation again, and there is one response per invitation.
    assert text(browser, settings, "YES", phone=PHONES["text"]).startswith("Thank you. We will text you")
    SmsConversation.objects.filter(phone=PHONES["text"]).update(
        finished_at=timezone.now() - timedelta(days=8)
    )
    assert text(browser, settings, "YES", phone=PHONES["text"]).startswith("You have already answered")

    # The reminder's day comes: only the parent who has not answered gets it, with their own link.
    run_tasks()
    reminded = list(Message.objects.filter(campaign=reminder))
    assert [m.contact_id for m in reminded] == [parents["silent"].pk]
    body = reminded[0].body
    assert body.startswith(f"{settings.MESSAGING_SENDER_NAME}: Reminder: '{page.title}' closes at ")
    assert services.invitation_url(page.pk, parents["silent"].pk) in body

    # A YES to the reminder answers for the invitation too.
    assert "Support for parents" in text(browser, settings, "YES", phone=PHONES["silent"])
    silent = SmsConversation.objects.get(phone=PHONES["silent"])
    assert silent.invited and silent.contact_id == parents["silent"].pk

    # Reach counts each invited person once, reminder or not.
    assert sum(row["invited"] for row in results.reach(page)) == 3
    assert sum(row["responses"] for row in results.reach(page)) == 2
    assert Campaign.objects.filter(kind=CampaignKind.REMINDER).count() == 1


def test_reminders_skip_people_whose_invitation_failed_or_who_answered_by_keyword(
    make_consultation, run_tasks, settings
):
    settings.SMS_PROVIDER = "outbox"
    page = make_consultation(sms_keyword="SUPPORT", closes_at=timezone.now() + timedelta(days=10))
    parents = {role: _parent(role) for role in PHONES}
    from surveys import invitations

    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(send_email=False, reminder_days_before=2)
    campaign.refresh_from_db()
    messaging.start_campaign(campaign)
    reminder = Campaign.objects.get(reminder_for=campaign)
    _run_tasks_due_before(run_tasks, reminder.send_at - timedelta(hours=1))
    # The "web" parent's text failed; the "text" parent answered by texting the keyword (no YES).
    Message.objects.filter(campaign=campaign, contact=parents["web"]).update(
        status=MessageStatus.PERMANENT_FAILURE
    )
    client = Client()
    text(client, settings, "SUPPORT", phone=PHONES["text"])
    for _ in range(15):
        if Response.objects.exists():
            break
        text(client, settings, "1", phone=PHONES["text"])
    assert SmsConversation.objects.get(phone=PHONES["text"]).status == ConversationStatus.COMPLETE
    run_tasks()
    assert list(Message.objects.filter(campaign=reminder).values_list("contact_id", flat=True)) == [
        parents["silent"].pk
    ]


def test_yes_to_a_reminder_works_when_the_invitation_was_long_ago(client, settings, make_consultation):
    """A long consultation: the invitation went out 70 days ago (older than YES is taken to answer),
    the reminder yesterday. YES answers the reminder, for the same personal invitation."""
    page = make_consultation(sms_keyword="SUPPORT", closes_at=timezone.now() + timedelta(days=5))
    contact = _parent("silent")
    spec = f"consultation:{page.pk}"
    invitation = Campaign.objects.create(
        name="Invite", kind=CampaignKind.CONSULTATION_INVITATION, purpose=Purpose.CONSULTATIONS,
        link_personaliser=spec,
    )  # fmt: skip
    reminder = Campaign.objects.create(
        name="Invite: reminder", kind=CampaignKind.REMINDER, purpose=Purpose.CONSULTATIONS,
        link_personaliser=spec, reminder_for=invitation,
    )  # fmt: skip
    for campaign, days_ago in ((invitation, 70), (reminder, 1)):
        Message.objects.create(
            campaign=campaign,
            contact=contact,
            channel=Channel.SMS,
            recipient=PHONES["silent"],
            body="Have your say. Or reply YES to answer by text.",
            status=MessageStatus.DELIVERED,
            idempotency_key=f"campaign:{campaign.pk}:{contact.pk}:sms",
            created_at=timezone.now() - timedelta(days=days_ago),
        )
    assert "Support for parents" in text(client, settings, "YES", phone=PHONES["silent"])
    conversation = SmsConversation.objects.get(phone=PHONES["silent"])
    assert conversation.invited and conversation.contact_id == contact.pk


def test_someone_invited_in_two_waves_gets_one_reminder(make_consultation):
    from surveys import invitations

    page = make_consultation(sms_keyword="SUPPORT", closes_at=timezone.now() + timedelta(days=10))
    twice, once = _parent("web"), _parent("text")
    spec = f"consultation:{page.pk}"

    def campaign(kind, name, people, status=MessageStatus.DELIVERED):
        made = Campaign.objects.create(
            name=name, kind=kind, purpose=Purpose.CONSULTATIONS, link_personaliser=spec
        )
        for contact in people:
            Message.objects.create(
                campaign=made, contact=contact, channel=Channel.SMS, recipient=str(contact.mobile),
                body="Have your say", status=status, idempotency_key=f"campaign:{made.pk}:{contact.pk}:sms",
            )  # fmt: skip
        return made

    campaign(CampaignKind.CONSULTATION_INVITATION, "Wave 1", [twice])
    campaign(CampaignKind.REMINDER, "Wave 1: reminder", [twice])
    wave_2 = campaign(CampaignKind.CONSULTATION_INVITATION, "Wave 2", [twice, once])
    audience = invitations.not_answered_contact_ids(f"{page.pk}:{wave_2.pk}")
    assert [row["pk"] for row in audience] == [once.pk]
    # A reminder that never reached them does not count as their one reminder.
    Message.objects.filter(campaign__kind=CampaignKind.REMINDER).update(
        status=MessageStatus.PERMANENT_FAILURE
    )
    audience = invitations.not_answered_contact_ids(f"{page.pk}:{wave_2.pk}")
    assert sorted(row["pk"] for row in audience) == sorted([twice.pk, once.pk])
