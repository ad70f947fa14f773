"""Inviting parents to a consultation: the draft campaign behind "Invite parents", its reminder to
people who have not answered, and what messaging needs to know about a consultation (its personal
links, a preview link of the same length, when it closes).

Messaging never imports this: surveys/apps.py registers these functions with messaging.audiences.
"""

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import page_published

from messaging import services as messaging
from messaging.choices import FAILED_STATUSES, CampaignKind, CampaignStatus, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from parentvoice.dates import govuk_datetime

from . import services
from .choices import ConversationStatus
from .models import ConsultationPage, Response, SmsConversation

PERSONALISER = "consultation"
NOT_ANSWERED = "consultation-not-answered"


def personaliser_spec(page: ConsultationPage) -> str:
    return f"{PERSONALISER}:{page.pk}"


def can_invite(user, page: ConsultationPage) -> bool:
    """Officers who may create campaigns, for a consultation they can see in the admin."""
    if not (user.is_active and user.has_perm("messaging.add_campaign")):
        return False
    return PagePermissionPolicy().explorable_instances(user).filter(pk=page.pk).exists()


def answerable_by_text(page: ConsultationPage) -> bool:
    return bool(page.sms_keyword) and services.sms_number() is not None


def _closes(page: ConsultationPage) -> str:
    return govuk_datetime(page.closes_at, weekday=False)


def invitation_templates(page: ConsultationPage) -> dict:
    """The invitation's wording: the officer checks and edits it on the campaign form."""
    by_text = " Or reply YES to answer by text." if answerable_by_text(page) else ""
    text_line = (
        "\n\nYou can also answer by text message: reply YES to our text, or text "
        f"{page.sms_keyword} to {services.sms_number()['display']}."
        if answerable_by_text(page)
        else ""
    )
    return {
        "sms_template": f"Have your say on '((title))' by {_closes(page)}: ((link)){by_text}",
        "email_subject": "Have your say: ((title))",
        "email_template": (
            f"Hello,\n\n{page.summary}\n\nHave your say by {_closes(page)}: ((link))\n\n"
            "This link is just for you, so please do not share it. You can skip any question."
            f"{text_line}\n\nWe will tell you what we decide."
        ),
    }


def reminder_templates(page: ConsultationPage, *, by_text: bool) -> dict:
    or_yes = " Or reply YES to answer by text." if by_text else ""
    return {
        "sms_template": f"Reminder: '((title))' closes at {_closes(page)}. Your link: ((link)){or_yes}",
        "email_subject": "Reminder: have your say on ((title))",
        "email_template": (
            f"Hello,\n\nThis is a reminder that '((title))' closes at {_closes(page)}. If you have not had "
            "your say yet, your own link is:\n\n((link))\n\nIf you have answered since we sent this, thank "
            "you: there is nothing more to do."
        ),
    }


def _invitations(page: ConsultationPage):
    return Campaign.objects.filter(
        link_personaliser=personaliser_spec(page), kind=CampaignKind.CONSULTATION_INVITATION
    )


def invitation_campaigns(page: ConsultationPage):
    """Every invitation and reminder sent or drafted for this consultation, newest first."""
    return Campaign.objects.filter(link_personaliser=personaliser_spec(page)).order_by("-created_at")


@transaction.atomic
def invite_parents(page: ConsultationPage, user) -> tuple[Campaign, bool]:
    """The draft invitation campaign for this consultation, and whether it is new.

    Clicking again while a draft exists opens that draft rather than making another; once it has been
    sent (or cancelled), the next one is a new campaign, "… invitation 2", for a second wave."""
    # Lock the page so two clicks at once make one draft.
    ConsultationPage.objects.select_for_update().filter(pk=page.pk).first()
    draft = _invitations(page).filter(status=CampaignStatus.DRAFT).order_by("created_at").first()
    if draft is not None:
        return draft, False
    number = _invitations(page).count() + 1
    base = f"{page.title[:100]}: invitation"
    name = base if number == 1 else f"{base} {number}"
    while Campaign.objects.filter(name=name).exists():
        number += 1
        name = f"{base} {number}"
    campaign = messaging.draft_campaign(
        name=name,
        kind=CampaignKind.CONSULTATION_INVITATION,
        purpose=Purpose.CONSULTATIONS,
        title=page.title[:150],
        link_personaliser=personaliser_spec(page),
        audience_districts=list(page.districts.all()),
        created_by=user,
        **invitation_templates(page),
    )
    return campaign, True


# --- Registered with messaging (surveys/apps.py) ------------------------------------------------


def invitation_link(page_id: str, contact_id: int) -> str:
    return services.invitation_url(int(page_id), contact_id)


def sample_invitation_link(page_id: str, contact_id: int) -> str:
    """A link exactly as long as this contact's own, whose signature is x's: it opens nothing."""
    token = services.invitation_token(int(page_id), contact_id)
    contact_part, _, signature = token.partition("-")
    return invitation_link(page_id, contact_id).replace(token, f"{contact_part}-{'x' * len(signature)}")


def closing_time(page_id: str):
    return ConsultationPage.objects.filter(pk=int(page_id)).values_list("closes_at", flat=True).first()


def not_answered_contact_ids(value: str):
    """The audience "consultation-not-answered:<page id>:<invitation campaign id>": people that
    invitation reached (not suppressed, not failed) who have not answered the consultation: no
    response under their invitation or linked to them, and no finished text conversation from them
    or their mobile, and no reminder for this consultation already. Evaluated when the reminder goes out."""
    page_id, _, campaign_id = value.partition(":")
    page_id, campaign_id = int(page_id), int(campaign_id)
    reached = (
        Message.objects.filter(campaign_id=campaign_id, contact__isnull=False)
        .exclude(status__in=[MessageStatus.SUPPRESSED, *FAILED_STATUSES])
        .values("contact_id")
    )
    key = Concat(Value(f"{page_id}:"), Cast(OuterRef("pk"), CharField()))
    answered = Response.objects.filter(consultation_id=page_id).filter(
        Q(invitation_key=key) | Q(contact_id=OuterRef("pk"))
    )
    texted = SmsConversation.objects.filter(
        consultation_id=page_id, status=ConversationStatus.COMPLETE
    ).filter(Q(contact_id=OuterRef("pk")) | Q(phone=Cast(OuterRef("mobile"), CharField())))
    # One reminder per person: someone invited in two waves is reminded by the first reminder only.
    reminded = (
        Message.objects.filter(
            campaign__kind=CampaignKind.REMINDER,
            campaign__link_personaliser=f"consultation:{page_id}",
            contact__isnull=False,
        )
        .exclude(status__in=[MessageStatus.SUPPRESSED, *FAILED_STATUSES])
        .values("contact_id")
    )
    not_answered = (
        Contact.objects.filter(pk__in=reached)
        .exclude(pk__in=reminded)
        .exclude(Exists(answered))
        .exclude(Exists(texted))
    )
    hashed = set(
        Response.objects.filter(
            consultation_id=page_id, invitation_key__startswith=services.anonymous_invitation_prefix(page_id)
        ).values_list("invitation_key", flat=True)
    )
    if hashed:
        # An anonymous consultation's responses keep only a keyed hash of the invitation: the
        # database cannot match it, so each person still to remind is checked here.
        candidates = not_answered.values_list("pk", flat=True).iterator()
        answered_anonymously = [
            pk for pk in candidates if services.invitation_key(page_id, pk, anonymous=True) in hashed
        ]
        not_answered = not_answered.exclude(pk__in=answered_anonymously)
    return not_answered.values("pk")


def schedule_reminder(page_id: str, campaign: Campaign) -> Campaign | None:
    """Follow-up run as an invitation starts: its one reminder, `reminder_days_before` the close."""
    if campaign.kind != CampaignKind.CONSULTATION_INVITATION or not campaign.reminder_days_before:
        return None
    page = ConsultationPage.objects.get(pk=int(page_id))
    by_text = answerable_by_text(page) and "YES" in campaign.sms_template.upper()
    return messaging.schedule_reminder(
        campaign,
        send_at=messaging.reminder_time(page.closes_at, campaign.reminder_days_before),
        audience_source=f"{NOT_ANSWERED}:{page.pk}:{campaign.pk}",
        **reminder_templates(page, by_text=by_text),
    )


@receiver(page_published, sender=ConsultationPage, dispatch_uid="surveys.invitations.reminders")
def _reminders_follow_the_closing_time(sender, instance, **kwargs):
    # A closing time brought forward must move the reminder now: found at its old time, it could be
    # too late to send at all.
    messaging.reschedule_reminders(personaliser_spec(instance))
