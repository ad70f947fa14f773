"""Consultation operations: the question schema, keyword and question-lock rules, invitations,
saving a complete response atomically, and the public listing. Views, the admin, the SMS dialogue and
commands call these."""

import time
import unicodedata
from zoneinfo import ZoneInfo

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.models import PageViewRestriction

from messaging import services as messaging
from messaging.choices import Channel, ParentRole
from parentvoice.insert_rows import insert_rows
from parentvoice.models import District
from parentvoice.safeguarding.services import queue_screening
from parentvoice.text import is_ascii_digits

from . import about_you, sms_words, tallies, translations, wording
from .choices import Anonymity, Disability, Ethnicity, QuestionType, ResponseStatus
from .models import Answer, ConsultationPage, Response
from .questions import OTHER_KEY, SKIPPED, build_schema, display_answer, visible_questions

LONDON = ZoneInfo("Europe/London")
INVITATION_SALT = "surveys.invitation"
RESERVED_KEYWORDS = {
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "START", "UNSTOP",
    "HELP", "INFO", "YES", "NO", "BACK", "SKIP", "RESTART",
}  # fmt: skip


class AlreadyAnswered(Exception):
    pass


# --- Schema ---------------------------------------------------------------------------------


def district_choices():
    return [(slug, name) for slug, name in District.objects.order_by("name").values_list("slug", "name")]


_schema_cache = {}


def schema_for(page, *, use_cache=True):
    """The page's questions as plain data. Parsing the StreamField is the costly part of answering a
    question, so it is kept per saved version of the page (a new revision or publish gets a new key).
    An editor's unsaved or draft copy must pass use_cache=False."""
    key = (page.pk, page.latest_revision_id, page.last_published_at, page.live)
    questions = _schema_cache.get(key) if page.pk and use_cache else None
    if questions is None:
        questions = build_schema(page.questions)
        if page.pk and use_cache:
            if len(_schema_cache) > 200:
                _schema_cache.clear()
            _schema_cache[key] = questions
    if not page.ask_about_you:
        return questions
    return [*questions, *about_you.about_you_questions(district_choices(), equality=page.ask_equality)]


_page_cache = {}
PAGE_CACHE_SECONDS = 5


def answerable_page(page_id):
    """A live consultation nobody has restricted (on it or on a page above it), or None. A translation
    also needs its English page to be so.

    Every answer needs the page, so each process keeps it for a few seconds. Saving the page or a view
    restriction clears this process's copy at once; other processes see the change within
    PAGE_CACHE_SECONDS. Opening and closing times are checked on every request, not cached."""
    cached = _page_cache.get(page_id)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    page = (
        ConsultationPage.objects.live()
        .filter(pk=page_id)
        .annotate(restricted=Exists(restricted))
        .filter(restricted=False)
        .first()
    )
    if page is not None and page.is_translation and answerable_page(page.source_page.pk) is None:
        # Its answers are the English page's: an English page unpublished or made private takes
        # every translation of it with it.
        page = None
    if len(_page_cache) > 500:
        _page_cache.clear()
    _page_cache[page_id] = (time.monotonic() + PAGE_CACHE_SECONDS, page)
    return page


def forget_page(page_id):
    """Drop this process's copies of a page (and its questions) at once."""
    _page_cache.pop(page_id, None)
    for key in [key for key in _schema_cache if key[0] == page_id]:
        _schema_cache.pop(key, None)


@receiver(pre_delete, sender=District)
def _district_deleted(sender, instance, **kwargs):
    tallies.forget_district(instance.pk)


@receiver([post_save, post_delete], sender=ConsultationPage)
def _forget_page(sender, instance, **kwargs):
    forget_page(instance.pk)


@receiver([post_save, post_delete], sender=PageViewRestriction)
def _forget_pages(sender, **kwargs):
    _page_cache.clear()


def question_structure(stream_value):
    """What may not change once people have answered: question ids, order, types, codes (the export's
    column names, which "Only ask if" rules name) and choice keys."""
    structure = []
    for child in stream_value:
        if child.block_type == "section":
            continue
        keys = tuple(c["key"] for c in child.value.get("choices") or [])
        structure.append((str(child.id), child.block_type, child.value.get("code"), keys))
    return structure


def question_change_problem(page):
    if not page.pk or not Response.objects.filter(consultation_id=page.pk).exists():
        return None
    saved = ConsultationPage.objects.get(pk=page.pk)
    if question_structure(saved.questions) != question_structure(page.questions):
        return (
            "People have already answered this consultation, so its questions are locked: you can correct "
            "wording, but not add, remove or reorder questions, change their type, their codes or their choice keys."
        )
    return None


def _keyword_character(ch: str) -> bool:
    # Letters of any script with their marks (a Devanagari vowel sign is a mark), and the digits 0-9.
    return unicodedata.category(ch)[0] in "LM" or ch in "0123456789"


def sms_keyword_problem(page):
    """Why this page's keyword cannot be used, or None. A keyword is compared as people may type it
    (sms_words.fold: any case, Latin accents optional), across every consultation in every language:
    ANKIETA on the Polish page and SUPPORT on the English one each lead to their own page."""
    keyword = (page.sms_keyword or "").strip().upper()
    if not keyword:
        return None
    if not (2 <= len(keyword) <= 20 and all(_keyword_character(ch) for ch in keyword)):
        return "Use one word of 2 to 20 letters or numbers, with no spaces."
    if not any(unicodedata.category(ch).startswith("L") for ch in keyword):
        # A reply of only digits answers a question; it must never start a consultation instead.
        return "Use at least one letter: replies made only of numbers are answers to questions."
    if len(sms_words.scripts(keyword)) > 1:
        # e.g. a Cyrillic С pasted into a Latin word: it looks like the Latin word, which is not it.
        return (
            "Use letters of one alphabet only: this word mixes letters that look alike but are not the same."
        )
    # Compared as they look (sms_words.looks_like): SТOP with a Cyrillic Т on a poster is texted as STOP.
    looks = sms_words.looks_like(keyword)
    # settings.TELL_US_KEYWORD is feedback_loop's 'Tell us' keyword (docs/tell-us.md); every
    # language's SKIP, BACK, RESTART, YES and HELP words are replies within a conversation.
    reserved = {sms_words.looks_like(word) for word in [*RESERVED_KEYWORDS, settings.TELL_US_KEYWORD]}
    if looks in reserved | {sms_words.looks_like(word) for word in sms_words.every_word()}:
        return f"{keyword} is used for other things by text message. Choose another word."
    others = ConsultationPage.objects.exclude(sms_keyword="").exclude(pk=page.pk).select_related("locale")
    clash = next((other for other in others if sms_words.looks_like(other.sms_keyword) == looks), None)
    if clash is not None:
        where = f"'{clash.title}'"
        if clash.locale.language_code != settings.LANGUAGE_CODE:
            where += f" (in {translations.english_name(clash.locale.language_code)})"
        return f"{where} already uses {clash.sms_keyword}. Choose another word."
    return None


def sms_number():
    """The number parents text, as E.164 and as written in the UK ("07700 900000"), or None."""
    number = settings.SMS_SERVICE_NUMBER
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return {
        "e164": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        "display": national,
    }


# --- Invitations ------------------------------------------------------------------------------


INVITATION_KEY_SALT = "surveys.invitation-key"


def invitation_key(page_id, contact_id, *, anonymous=False):
    """What a response keeps of the invitation it answers, so that each answers once. For an anonymous
    consultation a keyed hash, "<page id>:h:<digest>": the response row does not name the contact."""
    if anonymous:
        digest = salted_hmac(INVITATION_KEY_SALT, f"{page_id}:{contact_id}", algorithm="sha256").hexdigest()
        return f"{page_id}:h:{digest[:40]}"
    return f"{page_id}:{contact_id}"


def anonymous_invitation_prefix(page_id) -> str:
    return f"{page_id}:h:"


def _invitation_signature(page_id, contact_id):
    return salted_hmac(INVITATION_SALT, f"{page_id}:{contact_id}", algorithm="sha256").hexdigest()[:32]


def invitation_token(page_id, contact_id):
    """`<contact id>-<signature>`: only letters, digits and hyphens, as Wagtail's page URLs allow."""
    return f"{contact_id}-{_invitation_signature(page_id, contact_id)}"


def read_invitation(page, token):
    """The contact id a token was made for this consultation, or None if it is not genuine. Tokens are
    made for the English page: the same one opens it in any language it is translated into."""
    contact_id, _, signature = token.partition("-")
    if not is_ascii_digits(contact_id) or not constant_time_compare(
        signature, _invitation_signature(page.source_page.pk, int(contact_id))
    ):
        return None
    return int(contact_id)


def invitation_used(page, contact_id):
    # Either form: the consultation's anonymity may have been changed since. Answers in every
    # language are the English page's, so answering in one language uses the invitation in all.
    source_id = page.source_page.pk
    keys = [invitation_key(source_id, contact_id), invitation_key(source_id, contact_id, anonymous=True)]
    return Response.objects.filter(invitation_key__in=keys).exists()


def invitation_url(page_id, contact_id, *, opens_page_id=None):
    """Each invited person's own link (registered with messaging as the "consultation" personaliser).
    `opens_page_id`: a translation of the page to open instead (the token is still the English
    page's, so their answer is stored against it and counts once)."""
    token = invitation_token(page_id, contact_id)
    path = reverse("surveys:invitation", args=[opens_page_id or page_id, token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- Saving a response -----------------------------------------------------------------------


def answer_rows(schema, answers):
    """(question id, choice key, text, number) tuples for the Answer table."""
    by_id = {q.id: q for q in schema}
    rows = []
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None or value in (None, SKIPPED):
            continue
        if question.type == QuestionType.MULTIPLE_CHOICE:
            for key in value["keys"]:
                rows.append((question_id, key, value.get("other", "") if key == OTHER_KEY else "", None))
        elif question.type == QuestionType.SCALE:
            rows.append((question_id, value, "", int(value)))
        elif question.type == QuestionType.SINGLE_CHOICE:
            rows.append((question_id, value, "", None))
        elif question.type == QuestionType.FREE_TEXT:
            rows.append((question_id, "", value, None))
        elif question.type == QuestionType.NUMBER:
            rows.append((question_id, "", "", int(value)))
    return rows


# The keys a response's "About you" answers may store (see _known).
_ROLES = frozenset(ParentRole.values)
_ETHNIC_GROUPS = frozenset(Ethnicity.values)
_DISABILITY_ANSWERS = frozenset(Disability.values)


def _known(answer, choices) -> str:
    """A single-choice 'About you' answer as stored on the response: the key if it is one of
    `choices`, else "" (prefer not to say, skipped, not asked, or anything unexpected)."""
    return answer if isinstance(answer, str) and answer in choices else ""


def _profile(answers) -> dict:
    """What a response's 'About you' answers say about who answered, copied onto the Response and
    every Answer row for breakdowns: "" (or no district) when not asked, skipped or not given."""
    district_slug = answers.get(about_you.DISTRICT_ID)
    ages = answers.get(about_you.AGES_ID) or {}
    district = (
        District.objects.filter(slug=district_slug).first()
        if isinstance(district_slug, str) and district_slug
        else None
    )
    return {
        "district": district,
        "parent_role": _known(answers.get(about_you.ROLE_ID), _ROLES),
        "child_age_bands": list(ages.get("keys", [])) if isinstance(ages, dict) else [],
        "ethnicity": _known(answers.get(about_you.ETHNICITY_ID), _ETHNIC_GROUPS),
        "disability": _known(answers.get(about_you.DISABILITY_ID), _DISABILITY_ANSWERS),
    }


# Tries at a random reference that no response has (each clash is a chance in 2^40 or so).
REFERENCE_TRIES = 5


def submit_response(
    page,
    answers,
    *,
    channel,
    contact_id=None,
    entered_by=None,
    default_district=None,
    partner_id=None,
    language=None,
    submission_key=None,
):
    """Save a complete response and its answers in one transaction: all or nothing. Raises
    AlreadyAnswered if the invitation was used already, or `submission_key` (a web form's, see
    follow_up.submit_web_response) was. `partner_id` is the partner whose link the
    person followed (checked by the caller: see partners.partner_for_session).

    `page` may be a translation: the response is stored against the English page it translates (one
    result set, the same question ids), in the translation's language unless `language` says
    otherwise (a paper form)."""
    language = language or page.language_code
    page = page.source_page
    schema = schema_for(page)
    profile = _profile(answers)
    if profile["district"] is None and default_district is not None:
        profile["district"] = default_district
    linked = contact_id is not None and page.anonymity == Anonymity.LINKED
    now = timezone.now()
    fields = {
        "consultation": page,
        "channel": channel,
        "language": language,
        "status": ResponseStatus.COMPLETE,
        "contact_id": contact_id if linked else None,
        "invitation_key": invitation_key(page.pk, contact_id, anonymous=page.anonymity == Anonymity.ANONYMOUS)
        if contact_id is not None
        else None,
        "entered_by": entered_by,
        "partner_id": partner_id,
        "completed_at": now,
        "completed_on": now.astimezone(LONDON).date(),
        "submission_key": submission_key,
        **profile,
    }
    rows = answer_rows(schema, answers)
    # Copied from the response onto each of its Answer rows, so breakdowns need no join.
    answer_profile = {
        "district_id": profile["district"].pk if profile["district"] else None,
        "parent_role": profile["parent_role"],
        "ethnicity": profile["ethnicity"],
        "disability": profile["disability"],
    }
    # The reference is random and unique, and not looked up first: in 2^40 a clash is next to
    # impossible, so the insert is tried, and only a failure asks whether the reference was the cause.
    tries = REFERENCE_TRIES
    while True:
        tries -= 1
        reference = wording.new_reference()
        try:
            with transaction.atomic():
                response = Response.objects.create(reference=reference, **fields)
                # One INSERT written once (parentvoice.insert_rows), not bulk_create: the answers of every
                # web, text and paper response are saved here, and the ORM's work per row was most of a
                # submit's time beyond the least a form must do.
                saved = insert_rows(
                    Answer,
                    [
                        {
                            "response_id": response.pk,
                            "consultation_id": page.pk,
                            "question_id": question_id,
                            "choice_key": key,
                            "text": text,
                            "number": number,
                            "channel": channel,
                            "language": language,
                            **answer_profile,
                        }
                        for question_id, key, text, number in rows
                    ],
                    returning=("pk", "text"),
                )
                if response.pk % tallies.FOLD_EVERY == 0:  # counted now and then, and by every reader
                    fold_tallies_on_commit(page.pk)
                # Every answer in someone's own words is screened.
                queue_screening("surveys.answer", dict(saved))
        except IntegrityError as error:
            if tries and Response.objects.filter(reference=reference).exists():
                continue
            raise AlreadyAnswered from error
        return response


def delete_responses(responses: QuerySet) -> int:
    """Delete responses with their answers, taking them out of the results' tallies in the same
    transaction. Returns how many responses went."""
    with transaction.atomic():
        # Locked first: a second delete of the same response waits, then finds it gone and counts nothing.
        chosen = Response.objects.filter(pk__in=tallies.take_away(responses))
        return chosen.delete()[1].get(Response._meta.label, 0)


def forget_profiles(responses: QuerySet) -> int:
    """Anonymise responses further: who answered (district, role, children's ages, ethnic group,
    disability) is forgotten on the responses and their answers; the answers stay, counted as "not
    known" in every breakdown. Returns how many responses changed."""
    with tallies.changing(responses) as ids:
        blank = {"district": None, "parent_role": "", "ethnicity": "", "disability": ""}
        Answer.objects.filter(response_id__in=ids).update(**blank)
        return Response.objects.filter(pk__in=ids).update(child_age_bands=[], **blank)


def fold_tallies_on_commit(page_id: int) -> None:
    """Count a consultation's waiting responses into its tallies in a task, after this commit."""
    from .tasks import fold_tallies

    transaction.on_commit(lambda: fold_tallies.enqueue(page_id))


def response_answers(response: Response) -> dict:
    """A saved response's answers in the form `questions` works with, rebuilt from its Answer rows."""
    by_id = {q.id: q for q in schema_for(response.consultation)}
    answers = {}
    for question_id, key, text, number in response.answers.order_by("pk").values_list(
        "question_id", "choice_key", "text", "number"
    ):
        question = by_id.get(question_id)
        if question is None:
            continue
        if question.type == QuestionType.MULTIPLE_CHOICE:
            value = answers.setdefault(question_id, {"keys": [], "other": ""})
            value["keys"].append(key)
            if key == OTHER_KEY:
                value["other"] = text
        elif question.type in {QuestionType.SINGLE_CHOICE, QuestionType.SCALE}:
            answers[question_id] = key
        elif question.type == QuestionType.FREE_TEXT:
            answers[question_id] = text
        elif question.type == QuestionType.NUMBER:
            answers[question_id] = number
    return answers


# A person may have their answers emailed to them this many times (a second go for a mistyped address).
ANSWER_COPIES = 2


class NoMoreCopies(Exception):
    pass


def send_answers_copy(response: Response, email: str, copy_number: int):
    """Email the person the answers they have just sent: a service message they asked for, so no
    consent is recorded and nothing about the address is kept on the response. The caller makes sure
    it is the person's own response (the one this browser just sent), never one named by a reference.
    At most ANSWER_COPIES per response: the message key carries the copy's number, so replaying an
    old request sends nothing new."""
    if not 1 <= copy_number <= ANSWER_COPIES:
        raise NoMoreCopies
    page = response.consultation
    schema = schema_for(page)
    answers = response_answers(response)
    rows = [
        (question.label, display_answer(question, answers.get(question.id)))
        for question in visible_questions(schema, answers)
    ]
    subject, body = wording.answers_email(page.title, response.reference or "", rows)
    # The outbox row must not name the response: for an anonymous consultation the key would pair
    # the address with the answers, and the body is wiped once sent.
    copy_key = salted_hmac("surveys.answers-copy", str(response.pk)).hexdigest()[:40]
    return messaging.send_service_message(
        channel=Channel.EMAIL,
        recipient=email,
        body=body,
        subject=subject,
        key=f"surveys:answers-copy:{copy_key}:{copy_number}",
        forget_after_send=page.anonymity == Anonymity.ANONYMOUS,
    )


# --- Listing --------------------------------------------------------------------------------


def consultation_listing(index_page):
    now = timezone.now()
    consultations = translations.shown_with_english(
        ConsultationPage.objects.child_of(index_page).live().public()
    )
    return {
        "open_consultations": consultations.filter(opens_at__lte=now, closes_at__gt=now).order_by(
            "closes_at"
        ),
        "upcoming_consultations": consultations.filter(opens_at__gt=now).order_by("opens_at"),
        "closed_consultations": consultations.filter(closes_at__lte=now).order_by("-closes_at")[:20],
    }
