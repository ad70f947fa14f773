"""What a person answering a consultation reads about it, worked out from its questions: the error
for a question left unanswered, how long it takes, which questions can be skipped, how long a
half-finished answer is kept, the confirmation reference and the copy of the answers by email.
Pure functions: no database, no requests."""

import math
import re
import secrets
from collections.abc import Iterable, Sequence

from django.utils.translation import get_language, gettext, ngettext

from .choices import QuestionType
from .questions import OTHER_KEY, Question

# Letters and digits that cannot be misread for each other (no 0/O, 1/I/L): read aloud over the phone
# or copied from a screen, a reference survives. 32 symbols, 8 of them: 2^40 references, so one cannot
# be guessed, and it says nothing about how many people answered.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8

# Rough reading-and-answering times, measured against GOV.UK's guidance that a radio question takes
# 10 to 20 seconds and a free-text one a minute or more. An estimate people trust is a cautious one.
SECONDS_PER_QUESTION = {
    QuestionType.SINGLE_CHOICE: 15,
    QuestionType.SCALE: 10,
    QuestionType.MULTIPLE_CHOICE: 25,
    QuestionType.NUMBER: 15,
    QuestionType.FREE_TEXT: 90,
}
SECONDS_TO_CHECK_AND_SEND = 30


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def is_reference(text: str) -> bool:
    return len(text) == REFERENCE_LENGTH and all(ch in REFERENCE_ALPHABET for ch in text)


# --- Time and optional questions -------------------------------------------------------------


def estimated_minutes(schema: Sequence[Question]) -> int:
    """Whole minutes, rounded up, to answer every question (questions only asked after some answers
    included, so nobody takes longer than they were told)."""
    seconds = SECONDS_TO_CHECK_AND_SEND + sum(SECONDS_PER_QUESTION.get(q.type, 20) for q in schema)
    return max(1, math.ceil(seconds / 60))


def time_estimate(schema: Sequence[Question]) -> str:
    minutes = estimated_minutes(schema)
    return ngettext("about %(count)s minute", "about %(count)s minutes", minutes) % {"count": minutes}


def _and_list(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def optional_questions(schema: Sequence[Question], about_you_ids: Iterable[str] = ()) -> str:
    """Which questions can be skipped, accurately. Numbers are only given while they are the numbers
    people will see: a question asked only after some answers changes the numbering after it, and
    then the optional ones are named as marked instead."""
    about_you_ids = set(about_you_ids)
    if not schema:
        return ""
    optional = [q for q in schema if not q.required]
    if len(optional) == len(schema):
        return gettext("All the questions are optional: you can skip any of them.")
    if not optional:
        return gettext("Every question needs an answer.")
    about_you = [q for q in optional if q.id in about_you_ids]
    own = [q for q in optional if q.id not in about_you_ids]
    if not own:
        return gettext("You can skip the questions about you.")
    last = schema.index(own[-1])
    if any(q.show_if for q in schema[: last + 1]):
        if about_you:
            return gettext("You can skip the questions marked (optional) and the questions about you.")
        return gettext("You can skip the questions marked (optional).")
    numbers = [str(schema.index(q) + 1) for q in own]
    named = _and_list(numbers)
    if about_you:
        return ngettext(
            "You can skip question %(numbers)s and the questions about you.",
            "You can skip questions %(numbers)s and the questions about you.",
            len(numbers),
        ) % {"numbers": named}
    return ngettext(
        "You can skip question %(numbers)s.", "You can skip questions %(numbers)s.", len(numbers)
    ) % {"numbers": named}


def kept_for(seconds: int) -> str:
    """'12 hours', '1 day', '30 minutes': how long a session keeps a half-finished answer."""
    if seconds >= 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    if seconds >= 3600:
        hours = round(seconds / 3600)
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


# --- Error messages -------------------------------------------------------------------------

_WH = r"(?:what|which|who|where|when|why|how)"
# "Where do you live?" -> "where you live"; "How many children do you look after?" -> "how many children you look after"
_WH_DO = re.compile(rf"^({_WH}(?: [\w'-]+){{0,4}}?) (?:do|does) (.+)$", re.IGNORECASE)
# "What would help you most?" -> "what would help you most" (the wh-word is the subject: no inversion)
_WH_SUBJECT = re.compile(
    r"^(?:what|which|who)(?: of these| of the following)? (?:would|will|could|should|can|has|have|helps?|makes?|matters?|stops?)\b",
    re.IGNORECASE,
)
# "How would you like us to ask?" -> "how you would like us to ask"
_WH_MODAL_YOU = re.compile(
    rf"^({_WH}(?: [\w'-]+){{0,4}}?) (would|will|can|could|should|are|were|have) (you)\b(.*)$", re.IGNORECASE
)
# "What is your ethnic group?" -> "your ethnic group"
_WHAT_IS_YOUR = re.compile(r"^(?:what|which) (?:is|are) (your .+)$", re.IGNORECASE)
# "Are you a carer?" -> "if you are a carer"; "Do you use it?" -> "if you use it"
_AUX_YOU = re.compile(r"^(are|have|can|could|would|will|should|were|was) you\b(.*)$", re.IGNORECASE)
_DO_YOU = re.compile(r"^(?:do|does) (you\b.*)$", re.IGNORECASE)


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()):
        return text  # "I", "SEND", "NHS": keep as written
    return text[:1].lower() + text[1:]


def _what_is_asked(label: str) -> str | None:
    """The question turned into the object of 'Select …' / 'Enter …', or None when it cannot be done
    reliably (then the message is a general one, which is still correct)."""
    text = " ".join(label.split())
    if text.endswith(("…", "...")):
        return None  # "Are you a…": the choices finish the sentence
    text = text.rstrip(" ?.!").strip()
    if not text or len(text) > 120:
        return None
    for pattern, build in (
        (_WHAT_IS_YOUR, lambda m: m.group(1)),
        (_WH_DO, lambda m: f"{m.group(1)} {m.group(2)}"),
        (_WH_MODAL_YOU, lambda m: f"{m.group(1)} {m.group(3).lower()} {m.group(2).lower()}{m.group(4)}"),
        (_WH_SUBJECT, lambda m: m.string),
        (_AUX_YOU, lambda m: f"if you {m.group(1).lower()}{m.group(2)}"),
        (_DO_YOU, lambda m: f"if {m.group(1)}"),
    ):
        match = pattern.match(text)
        if match:
            return _lower_first(build(match).strip())
    return None


def _in_english() -> bool:
    return (get_language() or "en").lower().startswith("en")


def missing_answer(question: Question) -> str:
    """The error for a required question left unanswered, specific to it: an officer's own message
    if the question has one, else one made from the question ("Select what would help you most").

    Making it from the question is English grammar, so in another language the message is the
    general one for the kind of question, in that language (still correct, only less specific)."""
    explicit = (getattr(question, "error_message", "") or "").strip()
    if explicit:
        return explicit
    asked = _what_is_asked(str(question.label)) if _in_english() else None
    kind = question.type
    if kind == QuestionType.MULTIPLE_CHOICE:
        return f"Select {asked}" if asked else gettext("Select all that apply")
    if kind == QuestionType.SCALE:
        return f"Select {asked}, from 1 to 5" if asked else gettext("Select a number from 1 to 5")  # noqa: S608 - not SQL
    if kind == QuestionType.SINGLE_CHOICE:
        return f"Select {asked}" if asked else gettext("Select an answer")
    if kind == QuestionType.NUMBER:
        return f"Enter {asked}" if asked else gettext("Enter a number")
    return f"Enter {asked}" if asked else gettext("Enter your answer")


def is_blank(question: Question, raw: object) -> bool:
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return not [key for key in (raw or []) if key]
    return not str(raw or "").strip()


def other_is_the_problem(question: Question, raw: object, other_text: str, max_length: int = 500) -> bool:
    """True when the error is about the 'please say what' box: 'Other' is ticked, every ticked box
    is a real one, and the box is empty or too long."""
    if question.type != QuestionType.MULTIPLE_CHOICE or not question.other_option:
        return False
    keys = [key for key in (raw or []) if key]
    valid = {key for key, _ in question.choices} | {OTHER_KEY}
    if OTHER_KEY not in keys or any(key not in valid for key in keys):
        return False
    other = (other_text or "").strip()
    return not other or len(other) > max_length


# --- The copy of the answers by email --------------------------------------------------------


def answers_email(title: str, reference: str, rows: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """(subject, plain-text body) for the copy a person asked for: each question and their answer."""
    lines = [
        f"You answered '{title}'. These are the answers you sent.",
        "",
        f"Your reference: {reference}",
        "",
    ]
    for label, answer in rows:
        lines += [label, answer, ""]
    lines.append("You asked for this copy on our website. You do not need to do anything.")
    return f"Your answers: {title}"[:200], "\n".join(lines)
