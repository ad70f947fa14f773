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
- Languages: a conversation is on the page whose keyword was texted (a translation has its own
  keyword), and every reply is composed in that page's language (`_language`), never the request's:
  the questions in its wording, our own words from the catalogs, and SKIP, BACK… in its words too
  (`sms_words`). The finished response is stored against the English page, in that language.
"""

import contextlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from wagtail.signals import page_published, page_unpublished

from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConfirmedBy, FollowRoute
from messaging.models import Contact
from messaging.services.inbound import CONFIRM_WORDS, HELP_WORDS
from messaging.sms import TEXT_BREAK, gsm7_lookalikes, segment_info
from parentvoice import ratelimit
from parentvoice.dates import govuk_date, govuk_datetime
from parentvoice.languages import best_match
from parentvoice.text import is_ascii_digits

from . import safeguarding_sources, services, sms, sms_words, translations
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
from .sms import sms_text

# A free-text answer sent as two texts: the second part, arriving this soon after the first and not
# an answer to the next question, is joined onto the first.
CONTINUATION_SECONDS = 60
# After this many replies that do not answer a question, the re-prompt offers HELP and the web link.
INVALID_REPLIES_BEFORE_HELP = 3
# YES answers an invitation sent this recently.
INVITATION_REPLY_DAYS = 60
# In English, these also start a consultation from an invitation and confirm a RESTART; every
# language's own word for yes (sms_words) does too.
YES_WORDS = {"YES", "Y", "YEP", "YEAH", "OK", "OKAY"}
# Our own words are msgids (site/locale), translated when a reply is composed in the page's language.
WELCOME = gettext_noop(
    "Thank you for taking part in '%(title)s'. We text you one question at a time: reply to each one. "
    "Text HELP if you are stuck, or STOP to stop."
)
WELCOME_BACK = gettext_noop("Welcome back to '%(title)s'.")
# A reply this long after the last text that does not answer the question gets the question again.
RESUME_GAP = timedelta(hours=12)
# The thank-you offers this; a YES (or Y, or the language's word) within FOLLOW_REPLY_WINDOW of it
# asks to be told.
FOLLOW_OFFER = gettext_noop("Reply %(yes)s to get a text when we decide.")
WILL_TEXT = gettext_noop("We will text you when we decide.")
# Added to the first question a conversation asks in the person's own words (kept short: one line).
SAFEGUARDING_NOTICE = gettext_noop("If a child is at risk we'll pass it on. In danger now? Call 999.")
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
    if page is None and conversation is None and _is_yes(event.first_word) and len(event.words) <= 2:
        thanked = _thanked(event, now)
        # An invitation texted after our thank-you is what a YES answers; before it, the thank-you is.
        since = thanked.finished_at if thanked is not None else now - timedelta(days=INVITATION_REPLY_DAYS)
        page, invited_contact_id = _invitation_answered_by(event.from_number, since)
        if page is None and thanked is not None:
            with _language(thanked.consultation):
                return gsm7_lookalikes(_tell_me(thanked, event))
    if page is not None:
        page = _answering_page(page)
        with _language(page):
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
        with _language(conversation.consultation):
            step = Step(
                sms_text("You have finished '%(title)s', thank you. Your answers are saved.")
                % {"title": conversation.consultation.title},
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
        with _language(page):
            step = _ask(conversation, page, WELCOME_BACK, TurnOutcome.RESUMED)
        conversation.save()
    return conversation, step


@contextlib.contextmanager
def _language(page):
    """Compose a reply in the page's language: inbound texts are handled outside any request (or in
    one whose language says nothing about the parent), so the language is always set here."""
    with translation.override(page.language_code if page is not None else settings.LANGUAGE_CODE):
        yield


def _answering_page(page):
    """The page a conversation asks its questions from: `page`, unless it is a translation whose
    questions no longer match the English page's (being updated), when the English page is used, as
    the web sends people to the English page then."""
    if page.is_translation and translations.is_out_of_date(page):
        return services.answerable_page(page.source_page.pk) or page
    return page


def _is_yes(word):
    """YES in English (or Y, OK…) or in any language we have words for: what answers an invitation."""
    return word in YES_WORDS or sms_words.is_yes(word, None)


def _is_yes_in(text, language):
    """YES (or Y, OK…) or the conversation's language's word for it: what confirms a RESTART."""
    return sms_words.fold(text) in YES_WORDS or sms_words.is_yes(text, language)


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
    if event.first_word in CONFIRM_WORDS | HELP_WORDS or _is_yes(event.first_word):
        return None
    if sms_words.command(event.first_word) == "HELP":
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
    # The word our thank-you asked for: YES or Y, or its language's own (TAK after a Polish one).
    if event.first_word not in CONFIRM_WORDS and not sms_words.is_yes(
        event.first_word, conversation.consultation.language_code
    ):
        return None
    if messaging.pending_sms_confirmation(event.from_number, inbound_id=event.inbound_message_id):
        return None
    return conversation


def _tell_me(conversation, event):
    """They texted YES to "Reply YES to get a text when we decide": record it for the consultation's
    outcome, with the texted number as the evidence that it is theirs. On an anonymous consultation the
    request is held and released later in random order, so it cannot be paired with the answers.
    Called in the conversation page's language; the request is the English page's (one topic)."""
    page = conversation.consultation
    source = page.source_page
    title = messaging.follow_title_for_sms(page.title)
    topic = consultation_topic(source.pk)
    contact = _phone_contact(event)
    _remember_language(contact, page)
    if messaging.has_asked(contact.pk, topic, Channel.SMS):
        # Said once an hour at most, like HELP's answer: every reply costs a text, and a phone (or an
        # auto-reply) texting YES again and again must not make us text back each time.
        if not ratelimit.allow("sms_help", f"already-asked:{event.from_number}"):
            return ""
        return sms_text(
            "You have already asked: we will text you when we decide about '%(title)s'. Reply STOP to stop."
        ) % {"title": title}
    offer = _follow_offer()
    result = messaging.request_follow(
        topic=topic,
        title=source.title,
        channel=Channel.SMS,
        route=FollowRoute.SMS,
        # The ledger keeps what they saw, in the language they saw it.
        wording=f"Texted {event.first_word} to '{offer}' after answering '{page.title}' by text.",
        contact=contact,
        confirmed_by=ConfirmedBy.SMS_REPLY,
        anonymous=page.anonymity == Anonymity.ANONYMOUS,
    )
    if result == messaging.FollowResult.HELD:
        return sms_text(
            "Thank you. We will text you when we decide about '%(title)s'. Your answers are anonymous, so "
            "we add your number to the list later, apart from them. Reply STOP to stop."
        ) % {"title": title}
    return sms_text("Thank you. We will text you when we decide about '%(title)s'. Reply STOP to stop.") % {
        "title": title
    }


def _follow_offer():
    return sms_text(FOLLOW_OFFER) % {"yes": sms_words.shown(translation.get_language(), "yes")}


def _remember_language(contact, page):
    """A contact made from just this number (no name, no email, the default language) reads the
    language they answered in: what we text them later (the outcome) goes in it where it can."""
    if page.language_code == settings.LANGUAGE_CODE or contact.name or contact.email:
        return
    if contact.language not in ("", "en", settings.LANGUAGE_CODE):
        return
    contact.language = page.language_code
    Contact.objects.filter(pk=contact.pk).update(language=contact.language)


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
    page = page.source_page  # one follow topic for the consultation in every language
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
    """The live page whose keyword this is, in any language: compared folded (sms_words.fold), so
    case, Latin accents and invisible joiners do not matter."""
    page_id = _keywords().get(sms_words.fold(word))
    return services.answerable_page(page_id) if page_id else None


_keyword_cache = {"until": 0.0, "pages": {}}


def _keywords():
    """{folded keyword: live page id}. Every one-word text is looked up here, so each process keeps
    the few keywords there are for services.PAGE_CACHE_SECONDS; saving, publishing or unpublishing a
    consultation clears this process's copy at once (as services.answerable_page does)."""
    now = time.monotonic()
    if _keyword_cache["until"] <= now:
        pages = {}
        rows = ConsultationPage.objects.live().exclude(sms_keyword="").order_by("pk")
        for pk, keyword in rows.values_list("pk", "sms_keyword"):
            pages.setdefault(sms_words.fold(keyword), pk)
        _keyword_cache.update(until=now + services.PAGE_CACHE_SECONDS, pages=pages)
    return _keyword_cache["pages"]


@receiver([post_save, post_delete], sender=ConsultationPage)
@receiver([page_published, page_unpublished], sender=ConsultationPage)
def _forget_keywords(sender, **kwargs):
    _keyword_cache["until"] = 0.0


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
    if page is None:
        return None, None
    return _in_contacts_language(page, contact_id), contact_id


def _in_contacts_language(page, contact_id):
    """The invited contact's language version of the page (Contact.language), where one is live and
    its questions are up to date; else the page itself. The invitation is the English page's either way."""
    language = Contact.objects.filter(pk=contact_id).values_list("language", flat=True).first()
    if not language or not page.translation_key:
        return page
    versions = dict(
        ConsultationPage.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .values_list("locale__language_code", "pk")
    )
    code = best_match(language, list(versions))
    if code is None or versions[code] == page.pk:
        return page
    translated = services.answerable_page(versions[code])
    if translated is None or translations.is_out_of_date(translated):
        return page
    return translated


# --- Starting and resuming ---------------------------------------------------------------------


def start(page, phone, now, *, active=None, contact_id=None, invited=False):
    """Start or resume `page` for this phone. Returns (conversation, Step); the conversation is None
    when the reply belongs to none (not open yet, closed, already answered).

    The consultation in every language is one: a phone that answered it in English has answered it,
    and an unfinished conversation in one language carries on in the language whose keyword was
    texted, with its answers (the questions' ids are the same in every language)."""
    title = page.title
    if now < page.opens_at:
        keyword = page.sms_keyword or sms_words.shown(translation.get_language(), "yes")
        return None, Step(
            sms_text("'%(title)s' opens at %(when)s. Text %(keyword)s again then.")
            % {"title": title, "when": govuk_datetime(page.opens_at), "keyword": keyword},
            TurnOutcome.EXPIRED,
        )
    versions = _versions(page)
    if active is not None and active.consultation_id in versions:
        earlier = [active]
    else:
        earlier = list(
            SmsConversation.objects.select_for_update()
            .filter(consultation_id__in=versions, phone=phone)
            .exclude(status=ConversationStatus.EXPIRED)
        )
    existing = next((c for c in earlier if c.status != ConversationStatus.COMPLETE), None)
    if page.has_closed:
        if existing is not None:
            return existing, _expire(existing, page, now)
        return None, Step(_closed_text(page), TurnOutcome.EXPIRED)
    if existing is None and (earlier or (invited and services.invitation_used(page, contact_id))):
        return None, Step(
            sms_text("You have already answered '%(title)s'. Thank you! See what we decide at %(url)s")
            % {"title": title, "url": _public_url(page)},
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
        if existing.consultation_id != page.pk:
            existing.consultation = page  # texted the keyword of another language: carry on in it
        return existing, _ask(existing, page, WELCOME_BACK, TurnOutcome.RESUMED)
    # Saved by handle_inbound, once, with the question it is asked.
    conversation = SmsConversation(
        consultation=page, phone=phone, contact_id=contact_id, invited=invited, started_at=now, updated_at=now
    )
    return conversation, _ask(conversation, page, WELCOME, TurnOutcome.STARTED, separate=True)


def _versions(page):
    """The ids of the page and of its versions in other languages."""
    if not page.translation_key:
        return [page.pk]
    return list(
        ConsultationPage.objects.filter(translation_key=page.translation_key).values_list("pk", flat=True)
    )


def _ask(conversation, page, lead, outcome, *, separate=False):
    """`lead`, then the next question: the welcome always in a text of its own, other leads on the
    question's text when both fit in two segments."""
    schema = services.schema_for(page)
    answers = kept_answers(schema, conversation.answers)
    question = next_question(schema, answers)
    if question is None:
        return _complete(conversation, page, answers, timezone.now())
    conversation.asked_question_id = question.id
    lead, asked = sms_text(lead) % {"title": page.title}, _prompt(schema, answers, question)
    reply = TEXT_BREAK.join([lead, asked]) if separate else sms.join_texts(lead, asked)
    return Step(reply, outcome, question.id)


# --- Answering -----------------------------------------------------------------------------


def reply_to(conversation, text, now):
    """Take one text as the answer (or command) for the question last sent, and say what is next, in
    the language of the conversation's page."""
    page = services.answerable_page(conversation.consultation_id)
    if page is not None:
        page = _answering_page(page)
    with _language(page or conversation.consultation):
        if page is None or page.has_closed:
            return _expire(conversation, page or conversation.consultation, now)
        return _reply_to(conversation, page, text, now)


def _reply_to(conversation, page, text, now):
    language = page.language_code
    schema = services.schema_for(page)
    answers = kept_answers(schema, conversation.answers)
    question = next_question(schema, answers)
    if question is None:
        return _complete(conversation, page, answers, now)
    if conversation.asked_question_id and conversation.asked_question_id != question.id:
        # The questions were edited since we asked (allowed until the first response arrives).
        conversation.answers = answers
        return _ask(conversation, page, gettext_noop("The questions have changed."), TurnOutcome.RESUMED)
    command = sms.command(text, language)
    if conversation.restart_requested:
        # Asked "start again?" last time: RESTART or YES confirms; anything else carries on as usual.
        conversation.restart_requested = False
        if command == "RESTART" or _is_yes_in(text, language):
            conversation.answers, conversation.invalid_replies = {}, 0
            return _ask(
                conversation,
                page,
                gettext_noop("Your answers are deleted. Starting again."),
                TurnOutcome.RESTARTED,
            )
    if command == "HELP":
        return Step(
            sms.join_texts(_help_text(conversation, page, question), _prompt(schema, answers, question)),
            TurnOutcome.HELP,
            question.id,
        )
    if command == "RESTART":
        if not answers:
            return _ask(conversation, page, gettext_noop("Starting again."), TurnOutcome.RESTARTED)
        conversation.restart_requested = True
        number = progress(schema, answers, question)[0]
        return Step(
            sms_text(
                "Reply %(restart)s again or %(yes)s to start again: your answers so far will be deleted. "
                "Or answer Q%(number)s to carry on."
            )
            % {
                "restart": sms_words.shown(language, "restart"),
                "yes": sms_words.shown(language, "yes"),
                "number": number,
            },
            TurnOutcome.RESTART_ASKED,
            question.id,
        )
    if command == "BACK":
        earlier = previous_question(schema, answers, question)
        if earlier is None:
            return Step(
                sms.join_texts(sms_text("This is the first question."), _prompt(schema, answers, question)),
                TurnOutcome.BACK,
            )
        said = display_answer(earlier, answers.pop(earlier.id))
        conversation.answers, conversation.invalid_replies = answers, 0
        conversation.asked_question_id = earlier.id
        return Step(
            sms.join_texts(
                sms_text("You said: %(answer)s. Reply again to change it.") % {"answer": _shorten(said, 40)},
                _prompt(schema, answers, earlier),
            ),
            TurnOutcome.BACK,
            earlier.id,
        )
    if command == "SKIP":
        if question.required:
            number = progress(schema, answers, question)[0]
            problem = sms_text("Q%(number)s needs an answer. %(allowed)s.") % {
                "number": number,
                "allowed": sms.allowed(question),
            }
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
                    sms.join_texts(
                        sms_text("We added that to your last answer."), _prompt(schema, joined, question)
                    ),
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
        welcome_back = sms_text(WELCOME_BACK) % {"title": page.title}
        problem = sms.join_texts(f"{welcome_back} {problem}", _prompt(schema, answers, question))
    elif conversation.invalid_replies >= INVALID_REPLIES_BEFORE_HELP:
        problem += " " + sms_text("Reply HELP for help, or answer online: %(link)s") % {
            "link": _web_link(conversation, page)
        }
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
    # `page` may be a translation: submit_response stores the answers against the English page, in
    # this page's language.
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
        return Step(
            sms_text("You have already answered '%(title)s'. Thank you!") % {"title": page.title},
            TurnOutcome.ALREADY_ANSWERED,
        )
    if page.anonymity == Anonymity.LINKED and response.contact_id is None and conversation.contact_id:
        # Texted from a number that belongs to a known contact: the answers are theirs, as an invited
        # parent's are (but no invitation was used, so the invitation stays theirs to use).
        Response.objects.filter(pk=response.pk).update(contact_id=conversation.contact_id)
        response.contact_id = conversation.contact_id
    return Step(
        sms_text("You have finished, thank you! Your answers are saved. %(hear_back)s")
        % {"hear_back": _hear_back(page, conversation)},
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
# Three for a text in another script (UCS-2, 67 characters a segment): sms.max_segments.
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
    def limit(self):
        return sms.max_segments(self.encoding)

    @property
    def too_long(self):
        return self.segments > self.limit

    @property
    def is_ucs2(self):
        return self.encoding == "UCS-2"


class Previews(list):
    """The previews, and whether any of them is UCS-2 (the editor then says what that costs)."""

    @property
    def any_ucs2(self):
        return any(preview.is_ucs2 for preview in self)


def question_previews(page):
    """Every question as it would be texted (show-if questions included), in the page's language, with
    its encoding and segment count. `page` may be an editor's draft, so the schema is built afresh."""
    schema = services.schema_for(page, use_cache=False)
    previews = Previews()
    with _language(page):
        for number, question in enumerate(schema, start=1):
            body = gsm7_lookalikes(sms.prompt(question, number, len(schema)))
            info = segment_info(body)
            previews.append(
                QuestionPreview(number, question.code, body, info.characters, info.segments, info.encoding)
            )
    return previews


# --- Conversations for officers ---------------------------------------------------------------


def conversations(page):
    """A consultation's text conversations in every language, newest first, with how many texts each
    had. Phone numbers and answers are personal data: only officers' views call this."""
    return (
        SmsConversation.objects.filter(consultation_id__in=_versions(page))
        .select_related("contact")
        .annotate(texts=Count("turns"))
        .order_by("-updated_at", "-pk")
    )


def conversation_for_officers(page, conversation_id):
    """One of the consultation's text conversations, in any language, or None."""
    return (
        SmsConversation.objects.filter(consultation_id__in=_versions(page), pk=conversation_id)
        .select_related("contact")
        .first()
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
        prompt = f"{prompt} {sms_text(SAFEGUARDING_NOTICE)}"
    return prompt


def _first_free_text(schema, answers, question):
    if question.type != QuestionType.FREE_TEXT:
        return False
    first = next((q for q in visible_questions(schema, answers) if q.type == QuestionType.FREE_TEXT), None)
    return first is not None and first.id == question.id


def _help_text(conversation, page, question):
    """What the person can do, with the commands in the page's language (sms_words); the question
    itself follows it (HELP repeats the question)."""
    language = page.language_code
    return sms_text(
        "%(allowed)s. %(back)s goes back, %(restart)s starts again, STOP stops all texts. "
        "Or answer online: %(link)s"
    ) % {
        "allowed": sms.allowed(question),
        "back": sms_words.shown(language, "back"),
        "restart": sms_words.shown(language, "restart"),
        "link": _web_link(conversation, page),
    }


def _closed_text(page):
    return sms_text(
        "Sorry, '%(title)s' closed on %(date)s, so we could not take your answers. "
        "Thank you for your time. See what happens next: %(url)s"
    ) % {"title": page.title, "date": govuk_date(page.closes_at), "url": _public_url(page)}


def _stopped_text(page):
    return sms_text("Sorry, '%(title)s' is no longer taking answers. Thank you for your time.") % {
        "title": page.title
    }


def _hear_back(page, conversation):
    """How they will hear what is decided: a text, if they will get one anyway; otherwise the page
    where it will be, and the offer of a text."""
    if _will_text(conversation, page):
        return sms_text(WILL_TEXT)
    return sms_text("See what we decide at %(url)s") % {"url": _public_url(page)} + " " + _follow_offer()


def _reminded_since_last_text(conversation):
    sent = conversation.carry_on_reminder_sent_at
    return sent is not None and sent > conversation.updated_at


def _web_link(conversation, page):
    if conversation.invited and conversation.contact_id:
        # The invitation is the English page's; it opens the page in the conversation's language.
        source = page.source_page
        opens = page.pk if page.pk != source.pk else None
        return services.invitation_url(source.pk, conversation.contact_id, opens_page_id=opens)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("surveys:start", args=[page.pk])


def _public_url(page):
    url = page.get_url() or ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def _shorten(text, limit):
    # What a parent typed, quoted on one line: a line of "---" would split our reply (TEXT_BREAK).
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
