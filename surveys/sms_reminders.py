"""The one "carry on" text to a parent part way through a consultation by text before it closes.

`send_carry_on_reminders` runs hourly from cron (`manage.py send_text_reminders`). A conversation gets
the reminder once ever, when all of these hold:

- it is active, or paused with a keyword to text to resume it, and has at least one answer;
- its consultation closes within CARRY_ON_WINDOW and has not closed yet;
- it is between 9am and 8pm UK time (messaging's sending hours): outside them nothing is sent;
- the number agreed to texts about consultations (current consent (sms, consultations)) and is not
  suppressed;
- the number has not texted about any consultation in the last QUIET_AFTER_TEXT.

`carry_on_reminder_sent_at` is claimed with one conditional UPDATE before sending, so two runs at once
send one text; the message's idempotency key says the same to messaging.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import npgettext

from messaging import services as messaging
from messaging.choices import Channel, Purpose
from parentvoice.dates import govuk_time

from . import services
from .choices import ConversationStatus
from .models import ConsultationPage, SmsConversation
from .questions import kept_answers, visible_questions
from .sms import SMS_CONTEXT, sms_text

CARRY_ON_WINDOW = timedelta(hours=24)
QUIET_AFTER_TEXT = timedelta(hours=2)
KEY_PREFIX = "carry-on:"


def questions_left(schema: list, answers: dict) -> int:
    """How many questions the person will still be asked, following the answers so far: the visible
    questions not answered (a follow-up question counts once its condition is met, as it is asked)."""
    return sum(1 for question in visible_questions(schema, answers) if question.id not in answers)


def in_sending_hours(now: datetime) -> bool:
    return messaging.within_sending_hours(now) == now


def closing_words(closes_at: datetime, now: datetime) -> str:
    """ "9am today" or "9am tomorrow": the window is a day, so it is always one of the two. Midnight
    is the end of the day before it: "midnight tonight", never "midnight tomorrow" for a consultation
    that closes in a few hours (the parent would think they had another day)."""
    today = timezone.localdate(now)
    local = timezone.localtime(closes_at)
    if (local.hour, local.minute) == (0, 0):
        ends = local.date() - timedelta(days=1)
        return sms_text("midnight tonight") if ends == today else sms_text("midnight tomorrow")
    if local.date() == today:
        return sms_text("%(time)s today") % {"time": govuk_time(closes_at)}
    return sms_text("%(time)s tomorrow") % {"time": govuk_time(closes_at)}


def reminder_text(page: ConsultationPage, left: int, now: datetime, *, paused: bool) -> str:
    """In the page's language: a conversation on a translation is reminded in its language."""
    with translation.override(page.language_code):
        title = messaging.follow_title_for_sms(page.title)
        questions = npgettext(SMS_CONTEXT, "%(count)s question", "%(count)s questions", left) % {
            "count": left
        }
        # A paused conversation's replies go to the one started after it: its keyword resumes it.
        if paused:
            carry_on = sms_text("text %(keyword)s to carry on") % {"keyword": page.sms_keyword}
        else:
            carry_on = sms_text("reply to carry on")
        # messaging.sms_body adds the sender's name before it and "Reply STOP to stop." after it.
        return sms_text("'%(title)s' closes at %(when)s. You have %(questions)s left: %(carry_on)s.") % {
            "title": title,
            "when": closing_words(page.closes_at, now),
            "questions": questions,
            "carry_on": carry_on,
        }


@dataclass(frozen=True)
class Sent:
    conversation_id: int
    text: str


def due_conversations(now: datetime):
    """Conversations that may be reminded now, before the per-number checks (consent, suppression)."""
    texted_lately = SmsConversation.objects.filter(
        phone=OuterRef("phone"), updated_at__gt=now - QUIET_AFTER_TEXT
    )
    return (
        SmsConversation.objects.filter(
            status__in=[ConversationStatus.ACTIVE, ConversationStatus.PAUSED],
            carry_on_reminder_sent_at__isnull=True,
            consultation__closes_at__gt=now,
            consultation__closes_at__lte=now + CARRY_ON_WINDOW,
            consultation__opens_at__lte=now,
        )
        .exclude(Exists(texted_lately))
        .order_by("pk")
    )


def _agreed_to_consultation_texts(conversation: SmsConversation) -> bool:
    contact = conversation.contact
    if contact is None or contact.address_for(Channel.SMS) != conversation.phone:
        # The number's own contact, if any: it is the number that agreed, not whoever was invited.
        contact = messaging.contact_for_phone(conversation.phone)
    if contact is None:
        return False
    return bool(messaging.current_consents(contact).get((Channel.SMS, Purpose.CONSULTATIONS)))


def send_carry_on_reminders(now: datetime | None = None) -> list[Sent]:
    """Send every reminder due now (none outside sending hours); returns what was sent."""
    now = now or timezone.now()
    if not in_sending_hours(now):
        return []
    sent = []
    for conversation in due_conversations(now).select_related("contact"):
        text = _reminder_for(conversation, now)
        if text is None:
            continue
        with transaction.atomic():
            # Claimed first: of two runs at once, only the one that sets it sends.
            claimed = SmsConversation.objects.filter(
                pk=conversation.pk, carry_on_reminder_sent_at__isnull=True
            ).update(carry_on_reminder_sent_at=now)
            if not claimed:
                continue
            messaging.send_service_message(
                channel=Channel.SMS,
                recipient=conversation.phone,
                body=text,
                key=f"{KEY_PREFIX}{conversation.pk}",
                contact_id=conversation.contact_id,
            )
        sent.append(Sent(conversation.pk, text))
    return sent


def _reminder_for(conversation: SmsConversation, now: datetime) -> str | None:
    """The reminder's text, or None when this conversation is not to be reminded."""
    page = services.answerable_page(conversation.consultation_id)
    if page is None or now >= page.closes_at:
        return None
    schema = services.schema_for(page)
    answers = kept_answers(schema, conversation.answers)
    if not answers:
        return None
    paused = conversation.status == ConversationStatus.PAUSED
    if paused and not page.sms_keyword:
        return None  # nothing they could text to resume it
    if messaging.is_suppressed(Channel.SMS, conversation.phone):
        return None
    if not _agreed_to_consultation_texts(conversation):
        return None
    left = questions_left(schema, answers)
    if left == 0:
        return None
    return reminder_text(page, left, now, paused=paused)
