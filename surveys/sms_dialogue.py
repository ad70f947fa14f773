"""Answering a consultation by text message: the dialogue.

`handle_inbound` is registered with messaging's inbound-text registry (surveys/apps.py). It runs inside
`messaging.services.receive_sms`'s transaction, after STOP/START are handled and only once per
MessageSid, and returns the reply that goes back in the TwiML response.

- A text of just a consultation's keyword starts it (or resumes it); YES answers the newest SMS
  invitation sent to that number, which links the conversation to the invited contact.
- Every other text from a number with an active conversation answers the question last sent.
  `questions.next_question` decides what comes next, exactly as on the web, and the answers stay on
  the conversation until the last one; then `services.submit_response` saves a complete Response.
- After the thank-you, a YES from that phone asks to be told what is decided (a follow request on the
  consultation's topic, held first on an anonymous consultation): see `_tell_me`.
- The conversation row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite runs one writing
  transaction at a time), so two texts arriving together are answered one after the other.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConfirmedBy, FollowRoute
from messaging.services.inbound import CONFIRM_WORDS, HELP_WORDS
from messaging.sms import TEXT_BREAK, gsm7_lookalikes, segment_info
from parentvoice import ratelimit
from parentvoice.dates import govuk_date, govuk_datetime
from parentvoice.text import is_ascii_digits

from . import safeguarding_sources, services, sms
from .choices import Anonymity, ConversationStatus, QuestionType, ResponseChannel, TurnOutcome
from .follow_up import consultation_topic, earlier_consent_wording
from .models import ConsultationPage, Response, SmsConversation, SmsTurn
from .questions import (
    SKIPPED,
    AnswerError,
    clean_answer,
    display_answer,
    kept_answers,
    next_question,
    previous_question,
    progress,
    visible_questions,
)

# A free-text answer sent as two texts: the second part, arriving this soon after the first and not
# an answer to the next question, is joined onto the first.
CONTINUATION_SECONDS = 60
# After this many replies that do not answer a question, the re-prompt offers HELP and the web link.
INVALID_REPLIES_BEFORE_HELP = 3
# YES answers an invitation sent this recently.
INVITATION_REPLY_DAYS = 60
YES_WORDS = {"YES", "Y", "YEP", "YEAH", "OK", "OKAY"}
WELCOME = (
    "Thank you for taking part in '{title}'. We text you one question at a time: reply to each one. "
    "Text HELP if you are stuck, or STOP to stop."
)
WELCOME_BACK = "Welcome back to '{title}'."
RESTART_WORDS = {"RESTART", *YES_WORDS}
# A reply this long after the last text that does not answer the question gets the question again.
RESUME_GAP = timedelta(hours=12)
# The thank-you offers this; a YES (or Y) within FOLLOW_REPLY_WINDOW of it asks to be told.
FOLLOW_OFFER = "Reply YES to get a text when we decide."
WILL_TEXT = "We will text you when we decide."
# Added to the first question a conversation asks in the person's own words (kept short: one line).
SAFEGUARDING_NOTICE = "If a child is at risk we'll pass it on. In danger now? Call 999."
# Long enough for someone who reads texts once a week, short enough that a YES days later is still
# plainly an answer to our thank-you and not to something else.
FOLLOW_REPLY_WINDOW = timedelta(days=7)

TRANSITIONS = {
    ConversationStatus.ACTIVE: {
        ConversationStatus.PAUSED,
        ConversationStatus.COMPLETE,
        ConversationStatus.EXPIRED,
    },
    ConversationStatus.PAUSED: {ConversationStatus.ACTIVE, ConversationStatus.EXPIRED},
    ConversationStatus.COMPLETE: set(),
    ConversationStatus.EXPIRED: set(),
}


class TransitionError(Exception):
    pass


def move(conversation, status, now=None):
    """The only place a conversation's status changes."""
    if status not in TRANSITIONS[ConversationStatus(conversation.status)]:
        raise TransitionError(f"A conversation cannot go from {conversation.status} to {status}.")
    conversation.status = status
    if status in {ConversationStatus.COMPLETE, ConversationStatus.EXPIRED}:
        conversation.finished_at = now or timezone.now()


@dataclass
class Step:
    reply: str
    outcome: str
    question_id: str = ""
    response: Response | None = None  # the response saved when this text completed the conversation


# --- Entry point ------------------------------------------------------------------------------


def handle_inbound(event):
    """The reply to one inbound text, or None when it is not for a consultation."""
    if event.suppressed:
        return None  # they texted STOP: say nothing until they text START
    now = timezone.now()
    text = event.body.strip()
    conversation = _locked_active_conversation(event.from_number)
    page = None
    invited_contact_id = None
    if len(event.words) == 1 and not is_ascii_digits(text) and sms.command(text) is None:
        page = _keyword_page(event.first_word)
    if page is None and conversation is None and event.first_word in YES_WORDS and len(event.words) <= 2:
        thanked = _thanked(event, now) if event.first_word in CONFIRM_WORDS else None
        # An invitation texted after our thank-you is what a YES answers; before it, the thank-you is.
        since = thanked.finished_at if thanked is not None else now - timedelta(days=INVITATION_REPLY_DAYS)
        page, invited_contact_id = _invitation_answered_by(event.from_number, since)
        if page is None and thanked is not None:
            return gsm7_lookalikes(_tell_me(thanked, event))
    if page is not None:
        conversation, step = start(
            page,
            event.from_number,
            now,
            active=conversation,
            contact_id=invited_contact_id or event.contact_id,
            invited=invited_contact_id is not None,
        )
    elif conversation is not None:
        step = reply_to(conversation, text, now)
    else:
        conversation = _just_finished(event, now)
        if conversation is None:
            return None
        step = Step(
            f"You have finished '{conversation.consultation.title}', thank you. Your answers are saved.",
            TurnOutcome.ALREADY_ANSWERED,
        )
    if conversation is not None:
        conversation.updated_at = now
        conversation, step = _save(conversation, step, page)
        SmsTurn.objects.create(
            conversation=conversation,
            inbound_id=event.inbound_message_id,
            question_id=step.question_id,
            outcome=step.outcome,
        )
        if step.response is not None:
            # A case opened on a text whose words are now a saved answer moves to that answer.
            safeguarding_sources.hand_over_sms_cases(conversation, step.response)
        if conversation.status == ConversationStatus.COMPLETE:
            page = page or services.answerable_page(conversation.consultation_id) or conversation.consultation
            if page.anonymity == Anonymity.ANONYMOUS:
                # Nothing may tie these answers to a phone: blank the texts' wording too.
                messaging.forget_inbound_wording(conversation.turns.values_list("inbound_id", flat=True))
    return gsm7_lookalikes(step.reply)


def _save(conversation, step, page):
    if conversation.pk is not None:
        conversation.save()
        return conversation, step
    try:
        with transaction.atomic():
            conversation.save()
    except IntegrityError:
        # The same phone's first two texts arrived together, and the other one started it.
        conversation = _locked_active_conversation(conversation.phone)
        step = _ask(conversation, page, WELCOME_BACK, TurnOutcome.RESUMED)
        conversation.save()
    return conversation, step


def _locked_active_conversation(phone):
    """The phone's active conversation, locked until the transaction ends. Every text runs this, so
    it is one plain statement (building the ORM query costs several times running it)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = SmsConversation._meta.db_table
    sql = f"SELECT * FROM {table} WHERE phone = %s AND status = %s LIMIT 1{lock}"  # noqa: S608 - values are parameters
    return next(iter(SmsConversation.objects.raw(sql, [phone, ConversationStatus.ACTIVE.value])), None)


def _just_finished(event, now):
    """The phone's conversation finished in the last RESUME_GAP, if our last text to it was the
    thank-you: a text after it ("thanks!") gets one reply saying they have finished. Only one, so an
    auto-reply at the other end cannot start an endless exchange; and never for a YES (asking to be
    told what we decide, or a sign-up confirmation) or HELP (messaging's help)."""
    if event.first_word in CONFIRM_WORDS | HELP_WORDS | YES_WORDS:
        return None
    conversation = (
        SmsConversation.objects.select_related("consultation")
        .filter(
            phone=event.from_number, status=ConversationStatus.COMPLETE, finished_at__gte=now - RESUME_GAP
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if conversation is None:
        return None
    last = conversation.turns.order_by("-pk").values_list("outcome", flat=True).first()
    return conversation if last == TurnOutcome.COMPLETED else None


# --- Asking to be told what is decided ----------------------------------------------------------


def _thanked(event, now):
    """The phone's conversation whose thank-you a YES now answers, or None. That is its latest
    conversation, finished with our thank-you in the last FOLLOW_REPLY_WINDOW. A sign-up confirmation
    still waiting for a YES wins: messaging offers one to a YES only when the number had no other
    exchange with us from a day before it was made, so it came after our thank-you."""
    conversation = (
        SmsConversation.objects.select_related("consultation")
        .filter(phone=event.from_number)
        .order_by("-updated_at", "-pk")
        .first()
    )
    if (
        conversation is None
        or conversation.status != ConversationStatus.COMPLETE
        or conversation.finished_at < now - FOLLOW_REPLY_WINDOW
        or not conversation.turns.filter(outcome=TurnOutcome.COMPLETED).exists()
    ):
        return None
    if messaging.pending_sms_confirmation(event.from_number, inbound_id=event.inbound_message_id):
        return None
    return conversation


def _tell_me(conversation, event):
    """They texted YES to "Reply YES to get a text when we decide": record it for the consultation's
    outcome, with the texted number as the evidence that it is theirs. On an anonymous consultation the
    request is held and released later in random order, so it cannot be paired with the answers."""
    page = conversation.consultation
    title = messaging.follow_title_for_sms(page.title)
    topic = consultation_topic(page.pk)
    contact = _phone_contact(event)
    if messaging.has_asked(contact.pk, topic, Channel.SMS):
        # Said once an hour at most, like HELP's answer: every reply costs a text, and a phone (or an
        # auto-reply) texting YES again and again must not make us text back each time.
        if not ratelimit.allow("sms_help", f"already-asked:{event.from_number}"):
            return ""
        return f"You have already asked: we will text you when we decide about '{title}'. Reply STOP to stop."
    result = messaging.request_follow(
        topic=topic,
        title=page.title,
        channel=Channel.SMS,
        route=FollowRoute.SMS,
        wording=f"Texted YES to '{FOLLOW_OFFER}' after answering '{page.title}' by text.",
        contact=contact,
        confirmed_by=ConfirmedBy.SMS_REPLY,
        anonymous=page.anonymity == Anonymity.ANONYMOUS,
    )
    if result == messaging.FollowResult.HELD:
        return (
            f"Thank you. We will text you when we decide about '{title}'. Your answers are anonymous, so "
            "we add your number to the list later, apart from them. Reply STOP to stop."
        )
    return f"Thank you. We will text you when we decide about '{title}'. Reply STOP to stop."


def _phone_contact(event):
    """The contact the number belongs to, made with just the number if there is none: texting YES from
    it shows the number is theirs."""
    return messaging.contact_for_phone(event.from_number, create=True)


def _will_text(conversation, page):
    """Whether the contact behind this finished conversation will be texted what is decided anyway:
    they asked already, or agreed to outcome texts and their answers are linked to them. On an
    anonymous consultation answers name nobody, so, as on the web, a (held) request to be told is made
    for someone who agreed to outcome texts; the thank-you then says they will hear."""
    if conversation.contact_id is None:
        return False
    topic = consultation_topic(page.pk)
    if Channel.SMS not in messaging.follow_channels(conversation.contact_id, [topic]):
        return False
    if page.anonymity == Anonymity.ANONYMOUS:
        contact = conversation.contact
        if not messaging.has_asked(contact.pk, topic, Channel.SMS):
            messaging.request_follow(
                topic=topic,
                title=page.title,
                channel=Channel.SMS,
                route=FollowRoute.SMS,
                wording=earlier_consent_wording(page.title, Channel.SMS),
                contact=contact,
                confirmed_by=ConfirmedBy.EARLIER_CONSENT,
                anonymous=True,
            )
    return True


def _keyword_page(word):
    page_id = ConsultationPage.objects.live().filter(sms_keyword=word).values_list("pk", flat=True).first()
    return services.answerable_page(page_id) if page_id else None


def _invitation_answered_by(phone, since):
    found = messaging.latest_campaign_text(
        phone,
        # A reminder carries the same personal link and may come long after the invitation.
        [CampaignKind.CONSULTATION_INVITATION, CampaignKind.REMINDER],
        since=since,
    )
    if found is None:
        return None, None
    spec, contact_id = found
    name, _, value = spec.partition(":")
    if name != "consultation" or not is_ascii_digits(value):
        return None, None
    page = services.answerable_page(int(value))
    return (page, contact_id) if page is not None else (None, None)


# --- Starting and resuming ---------------------------------------------------------------------


def start(page, phone, now, *, active=None, contact_id=None, invited=False):
    """Start or resume `page` for this phone. Returns (conversation, Step); the conversation is None
    when the reply belongs to none (not open yet, closed, already answered)."""
    title = page.title
    if now < page.opens_at:
        return None, Step(
            f"'{title}' opens at {govuk_datetime(page.opens_at)}. Text {page.sms_keyword or 'YES'} again then.",
            TurnOutcome.EXPIRED,
        )
    if active is not None and active.consultation_id == page.pk:
        earlier = [active]
    else:
        earlier = list(
            SmsConversation.objects.select_for_update()
            .filter(consultation=page, phone=phone)
            .exclude(status=ConversationStatus.EXPIRED)
        )
    existing = next((c for c in earlier if c.status != ConversationStatus.COMPLETE), None)
    if page.has_closed:
        if existing is not None:
            return existing, _expire(existing, page, now)
        return None, Step(_closed_text(page), TurnOutcome.EXPIRED)
    if existing is None and (earlier or (invited and services.invitation_used(page, contact_id))):
        return None, Step(
            f"You have already answered '{title}'. Thank you! See what we decide at {_public_url(page)}",
            TurnOutcome.ALREADY_ANSWERED,
        )
    if active is not None and active is not existing:
        move(active, ConversationStatus.PAUSED, now)
        active.updated_at = now
        active.save(update_fields=["status", "updated_at"])
    if existing is not None:
        if existing.status == ConversationStatus.PAUSED:
            move(existing, ConversationStatus.ACTIVE, now)
        if invited and not existing.invited:
            existing.invited, existing.contact_id = True, contact_id
        return existing, _ask(existing, page, WELCOME_BACK, TurnOutcome.RESUMED)
    # Saved by handle_inbound, once, with the question it is asked.
    conversation = SmsConversation(
        consultation=page, phone=phone, contact_id=contact_id, invited=invited, started_at=now, updated_at=now
    )
    return conversation, _ask(conversation, page, WELCOME, TurnOutcome.STARTED, separate=True)


def _ask(conversation, page, lead, outcome, *, separate=False):
    """`lead`, then the next question: the welcome always in a text of its own, other leads on the
    question's text when both fit in two segments."""
    schema = services.schema_for(page)
    answers = kept_answers(schema, conversation.answers)
    question = next_question(schema, answers)
    if question is None:
        return _complete(conversation, page, answers, timezone.now())
    conversation.asked_question_id = question.id
    lead, asked = lead.format(title=page.title), _prompt(schema, answers, question)
    reply = TEXT_BREAK.join([lead, asked]) if separate else sms.join_texts(lead, asked)
    return Step(reply, outcome, question.id)


# --- Answering -----------------------------------------------------------------------------


def reply_to(conversation, text, now):
    """Take one text as the answer (or command) for the question last sent, and say what is next."""
    page = services.answerable_page(conversation.consultation_id)
    if page is None or page.has_closed:
        return _expire(conversation, page or conversation.consultation, now)
    schema = services.schema_for(page)
    answers = kept_answers(schema, conversation.answers)
    question = next_question(schema, answers)
    if question is None:
        return _complete(conversation, page, answers, now)
    if conversation.asked_question_id and conversation.asked_question_id != question.id:
        # The questions were edited since we asked (allowed until the first response arrives).
        conversation.answers = answers
        return _ask(conversation, page, "The questions have changed.", TurnOutcome.RESUMED)
    command = sms.command(text)
    if conversation.restart_requested:
        # Asked "start again?" last time: RESTART or YES confirms; anything else carries on as usual.
        conversation.restart_requested = False
        if text.strip().upper().rstrip(".!") in RESTART_WORDS:
            conversation.answers, conversation.invalid_replies = {}, 0
            return _ask(
                conversation, page, "Your answers are deleted. Starting again.", TurnOutcome.RESTARTED
            )
    if command == "HELP":
        return Step(
            sms.join_texts(_help_text(conversation, page, question), _prompt(schema, answers, question)),
            TurnOutcome.HELP,
            question.id,
        )
    if command == "RESTART":
        if not answers:
            return _ask(conversation, page, "Starting again.", TurnOutcome.RESTARTED)
        conversation.restart_requested = True
        number = progress(schema, answers, question)[0]
        return Step(
            "Reply RESTART again or YES to start again: your answers so far will be deleted. "
            f"Or answer Q{number} to carry on.",
            TurnOutcome.RESTART_ASKED,
            question.id,
        )
    if command == "BACK":
        earlier = previous_question(schema, answers, question)
        if earlier is None:
            return Step(
                sms.join_texts("This is the first question.", _prompt(schema, answers, question)),
                TurnOutcome.BACK,
            )
        said = display_answer(earlier, answers.pop(earlier.id))
        conversation.answers, conversation.invalid_replies = answers, 0
        conversation.asked_question_id = earlier.id
        return Step(
            sms.join_texts(
                f"You said: {_shorten(said, 40)}. Reply again to change it.",
                _prompt(schema, answers, earlier),
            ),
            TurnOutcome.BACK,
            earlier.id,
        )
    if command == "SKIP":
        if question.required:
            number = progress(schema, answers, question)[0]
            problem = f"Q{number} needs an answer. {sms.allowed(question)}."
            return _invalid(conversation, page, question, problem, schema, answers, now)
        value, outcome = SKIPPED, TurnOutcome.SKIPPED
    else:
        raw, other_text = sms.parse_reply(question, text)
        try:
            value = clean_answer(question, raw, other_text)
        except AnswerError as error:
            if _reminded_since_last_text(conversation):
                # Our "reply to carry on" reminder was the last text: a YES or "ok" means carry on.
                return _ask(conversation, page, WELCOME_BACK, TurnOutcome.RESUMED)
            joined = _join_continuation(conversation, schema, answers, text, now)
            if joined is not None:
                conversation.answers = joined
                return Step(
                    sms.join_texts("We added that to your last answer.", _prompt(schema, joined, question)),
                    TurnOutcome.JOINED,
                    conversation.last_answered_question_id,
                )
            return _invalid(
                conversation, page, question, sms.problem(question, error.message, text), schema, answers, now
            )
        outcome = TurnOutcome.ANSWERED
    answers[question.id] = value
    answers = kept_answers(schema, answers)
    conversation.answers, conversation.invalid_replies = answers, 0
    conversation.last_answered_question_id, conversation.last_answered_at = question.id, now
    following = next_question(schema, answers)
    if following is None:
        step = _complete(conversation, page, answers, now)
        step.question_id = question.id
        return step
    conversation.asked_question_id = following.id
    return Step(_prompt(schema, answers, following), outcome, question.id)


def _invalid(conversation, page, question, problem, schema, answers, now):
    conversation.invalid_replies += 1
    if now - conversation.updated_at >= RESUME_GAP:
        # Back after a long gap with something that is not an answer: remind them where they were.
        problem = sms.join_texts(
            f"{WELCOME_BACK.format(title=page.title)} {problem}", _prompt(schema, answers, question)
        )
    elif conversation.invalid_replies >= INVALID_REPLIES_BEFORE_HELP:
        problem += f" Reply HELP for help, or answer online: {_web_link(conversation, page)}"
    return Step(problem, TurnOutcome.INVALID, question.id)


def _join_continuation(conversation, schema, answers, text, now):
    """The answers with `text` added to the free-text answer just given, if this looks like the second
    part of it (a long text some phones split in two), else None."""
    last_id = conversation.last_answered_question_id
    if not last_id or conversation.last_answered_at is None:
        return None
    if now - conversation.last_answered_at > timedelta(seconds=CONTINUATION_SECONDS):
        return None
    last = next((q for q in schema if q.id == last_id), None)
    previous = answers.get(last_id)
    if last is None or last.type != "free_text" or not isinstance(previous, str) or not previous:
        return None
    combined = f"{previous} {text.strip()}"
    if len(combined) > last.max_length:
        return None
    return {**answers, last_id: combined}


def _complete(conversation, page, answers, now):
    invited_contact = conversation.contact_id if conversation.invited else None
    try:
        response = services.submit_response(
            page, answers, channel=ResponseChannel.SMS, contact_id=invited_contact
        )
    except services.AlreadyAnswered:
        response = None
    move(conversation, ConversationStatus.COMPLETE, now)
    conversation.asked_question_id = ""
    if page.anonymity == Anonymity.ANONYMOUS:
        # Nothing may tie these answers to a phone: keep neither the link nor the answers.
        conversation.response, conversation.answers = None, {}
    else:
        conversation.response = response
    if response is None:
        return Step(f"You have already answered '{page.title}'. Thank you!", TurnOutcome.ALREADY_ANSWERED)
    if page.anonymity == Anonymity.LINKED and response.contact_id is None and conversation.contact_id:
        # Texted from a number that belongs to a known contact: the answers are theirs, as an invited
        # parent's are (but no invitation was used, so the invitation stays theirs to use).
        Response.objects.filter(pk=response.pk).update(contact_id=conversation.contact_id)
        response.contact_id = conversation.contact_id
    return Step(
        f"You have finished, thank you! Your answers are saved. {_hear_back(page, conversation)}",
        TurnOutcome.COMPLETED,
        response=response,
    )


def _expire(conversation, page, now):
    if ConversationStatus.EXPIRED in TRANSITIONS[ConversationStatus(conversation.status)]:
        move(conversation, ConversationStatus.EXPIRED, now)
    conversation.asked_question_id = ""
    return Step(_closed_text(page) if page.has_closed else _stopped_text(page), TurnOutcome.EXPIRED)


# --- Previews for officers ---------------------------------------------------------------------

# Above this many segments a question is flagged in the editor: it costs more and may arrive in pieces.
MAX_SEGMENTS = sms.MAX_SEGMENTS


@dataclass(frozen=True)
class QuestionPreview:
    number: int
    code: str
    text: str
    characters: int
    segments: int
    encoding: str

    @property
    def too_long(self):
        return self.segments > MAX_SEGMENTS


def question_previews(page):
    """Every question as it would be texted (show-if questions included), with its segment count.
    `page` may be an editor's draft, so the schema is built afresh."""
    schema = services.schema_for(page, use_cache=False)
    previews = []
    for number, question in enumerate(schema, start=1):
        body = gsm7_lookalikes(sms.prompt(question, number, len(schema)))
        info = segment_info(body)
        previews.append(
            QuestionPreview(number, question.code, body, info.characters, info.segments, info.encoding)
        )
    return previews


# --- Conversations for officers ---------------------------------------------------------------


def conversations(page):
    """A consultation's text conversations, newest first, with how many texts each had. Phone
    numbers and answers are personal data: only officers' views call this."""
    return (
        SmsConversation.objects.filter(consultation=page)
        .select_related("contact")
        .annotate(texts=Count("turns"))
        .order_by("-updated_at", "-pk")
    )


def display_status(conversation, page):
    """The status as an officer should read it: an active conversation on a closed consultation has
    expired, even if the parent has not texted since."""
    if conversation.status in {ConversationStatus.ACTIVE, ConversationStatus.PAUSED} and page.has_closed:
        return ConversationStatus.EXPIRED.label
    return conversation.get_status_display()


def transcript(conversation):
    """[(turn, inbound message)] in order: what the parent sent and what we replied."""
    return [(turn, turn.inbound) for turn in conversation.turns.select_related("inbound").order_by("pk")]


# --- Wording ----------------------------------------------------------------------------------


def _prompt(schema, answers, question):
    number, total = progress(schema, answers, question)
    prompt = sms.prompt(question, number, total)
    if _first_free_text(schema, answers, question):
        # Before someone first writes in their own words: what we do if a child is at risk.
        prompt = f"{prompt} {SAFEGUARDING_NOTICE}"
    return prompt


def _first_free_text(schema, answers, question):
    if question.type != QuestionType.FREE_TEXT:
        return False
    first = next((q for q in visible_questions(schema, answers) if q.type == QuestionType.FREE_TEXT), None)
    return first is not None and first.id == question.id


def _help_text(conversation, page, question):
    """What the person can do; the question itself follows it (HELP repeats the question)."""
    return (
        f"{sms.allowed(question)}. BACK goes back, RESTART starts again, STOP stops all texts. "
        f"Or answer online: {_web_link(conversation, page)}"
    )


def _closed_text(page):
    return (
        f"Sorry, '{page.title}' closed on {govuk_date(page.closes_at)}, so we could not take your answers. "
        f"Thank you for your time. See what happens next: {_public_url(page)}"
    )


def _stopped_text(page):
    return f"Sorry, '{page.title}' is no longer taking answers. Thank you for your time."


def _hear_back(page, conversation):
    """How they will hear what is decided: a text, if they will get one anyway; otherwise the page
    where it will be, and the offer of a text."""
    if _will_text(conversation, page):
        return WILL_TEXT
    return f"See what we decide at {_public_url(page)} {FOLLOW_OFFER}"


def _reminded_since_last_text(conversation):
    sent = conversation.carry_on_reminder_sent_at
    return sent is not None and sent > conversation.updated_at


def _web_link(conversation, page):
    if conversation.invited and conversation.contact_id:
        return services.invitation_url(page.pk, conversation.contact_id)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("surveys:start", args=[page.pk])


def _public_url(page):
    url = page.get_url() or ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def _shorten(text, limit):
    # What a parent typed, quoted on one line: a line of "---" would split our reply (TEXT_BREAK).
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
