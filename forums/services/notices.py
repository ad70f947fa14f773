"""Event notices to a forum's members: the default text, the preview and reach the coordinator
checks, and sending it (once) through a messaging campaign."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from messaging import services as messaging
from messaging.choices import CampaignKind, Purpose
from parentvoice.dates import govuk_date, govuk_datetime

from ..models import EventPage
from .bookings import places_left
from .events import event_name, event_url, forum_of_event

NOTICE_CAMPAIGN_NAME = "Event notice"
NOTICE_SMS_MAX_SEGMENTS = 3


def notice_invitation(event: EventPage) -> str:
    """What the notice asks members to do: a full event does not invite them to book."""
    if event.cancelled:
        return "It is cancelled. Details:"
    if not event.booking_required:
        return "No need to book, just come along. Details:"
    if places_left(event) == 0:
        return "It is fully booked. Details:"
    return "Book a place:"


EMAIL_SUBJECT_LIMIT = 150


def _fit(text: str, limit: int) -> str:
    return Truncator(text).chars(limit)


def notice_defaults(event: EventPage) -> dict[str, str]:
    """The notice's starting text, for the coordinator to change: the event's name (with its forum's,
    once), when and where, and a link."""
    when = govuk_datetime(event.start)
    where = event.venue_name or ("online" if event.online_link else "")
    where_text = f", {where}" if where else ""
    invitation, url = notice_invitation(event), event_url(event)
    return {
        "sms_text": f"{event_name(event)}, {when}{where_text}. {invitation} {url}",
        # A page title may be 255 characters; an email subject (and the campaign's column) 150.
        "email_subject": _fit(f"{event_name(event)}, {govuk_date(event.start)}", EMAIL_SUBJECT_LIMIT),
        "email_text": f"Hello,\n\n{event_name(event)} is at {when}{where_text}.\n\n{invitation}\n{url}",
    }


def notice_purpose(forum) -> str:
    """A practitioners' forum's notices are its business, agreed to with a work email address when
    joining; a parents' forum's are the meetings its members ticked."""
    return Purpose.FORUM_BUSINESS if forum.for_practitioners else Purpose.FORUM_EVENTS


def _draft_notice(event, forum, *, name, sms_text, email_subject, email_text):
    return messaging.draft_campaign(
        name=name,
        kind=CampaignKind.EVENT_NOTICE,
        purpose=notice_purpose(forum),
        # Forum business was agreed to for a work email address: never a mobile, even one the contact has.
        send_sms=not forum.for_practitioners,
        title=event.title[:150],  # the campaign's title and name are shorter than a page's title
        link_url=event_url(event),
        audience_source=f"forum:{forum.pk}",
        one_channel_per_contact=True,
        sms_template=sms_text,
        email_subject=email_subject,
        email_template=email_text,
    )


def notice_reach(event: EventPage) -> int:
    """How many members the notice would reach (agreed to hear about meetings, on a channel we have),
    counted by messaging's own audience rules on a draft that is rolled back, so the figure the
    coordinator sees is the one the campaign will use."""
    forum = forum_of_event(event)
    with transaction.atomic():
        draft = _draft_notice(
            event, forum, name=f"notice-count:{event.pk}:{timezone.now().isoformat()}",
            sms_text="-", email_subject="-", email_text="-",
        )  # fmt: skip
        reach = messaging.audience_size(draft)
        transaction.set_rollback(True)
    return reach


def notice_preview(event: EventPage, *, sms_text: str, email_subject: str, email_text: str) -> dict:
    """Exactly what members will get: the text message as sent (with its sender and STOP line) and
    its length in segments, and the email with its footer (each person's own links shown as such)."""
    from messaging.sms import segment_info

    sms = messaging.sms_body(sms_text)
    email = messaging.email_body(email_text, 0)
    for url in (messaging.preferences_url(0), messaging.unsubscribe_url(0)):
        email = email.replace(url, "(a link for each person)")
    return {
        "sms": sms,
        "segments": segment_info(sms).segments,
        "email_subject": email_subject,
        "email": email,
        "reach": notice_reach(event),
    }


def event_notice_campaign(
    event, *, sms_text: str | None = None, email_subject: str | None = None,
    email_text: str | None = None, user=None,
):  # fmt: skip
    """Send the coordinator's checked notice (or the default one) to the forum's members who agreed
    to hear about meetings, on one channel each, through messaging's campaign (consent, suppression
    and pacing applied there). Named by the minute, so a second click on "Send" does not send it
    twice."""
    forum = forum_of_event(event)
    defaults = notice_defaults(event)
    sms_text = sms_text or defaults["sms_text"]
    email_subject = email_subject or defaults["email_subject"]
    email_text = email_text or defaults["email_text"]
    _refuse_a_repeat(event, forum, sms_text=sms_text, email_subject=email_subject, email_text=email_text)
    campaign = _draft_notice(
        event,
        forum,
        name=f"{NOTICE_CAMPAIGN_NAME}: {event.title[:60]} ({event.pk}, sent {govuk_datetime(timezone.now(), weekday=False)})",
        sms_text=sms_text,
        email_subject=email_subject,
        email_text=email_text,
    )
    campaign = messaging.start_campaign(campaign, user=user)
    from wagtail.log_actions import log

    log(event, "forums.notice_sent", user=user, data={"campaign": campaign.pk})
    return campaign


# The same notice again this soon is a second click (or Back and Send), not a second notice: the
# campaign's name only tells apart notices sent in the same minute.
NOTICE_REPEAT_GAP = timedelta(minutes=30)


def _refuse_a_repeat(event, forum, *, sms_text: str, email_subject: str, email_text: str) -> None:
    from messaging.choices import CampaignStatus
    from messaging.models import Campaign

    repeat = (
        Campaign.objects.filter(
            kind=CampaignKind.EVENT_NOTICE,
            audience_source=f"forum:{forum.pk}",
            link_url=event_url(event),
            sms_template=sms_text,
            email_subject=email_subject,
            email_template=email_text,
            started_at__gte=timezone.now() - NOTICE_REPEAT_GAP,
        )
        .exclude(status=CampaignStatus.CANCELLED)
        .order_by("-started_at")
        .first()
    )
    if repeat is not None:
        raise messaging.CampaignError(
            f"This notice was already sent at {govuk_datetime(repeat.started_at, weekday=False)}. "
            "It has not been sent again."
        )
