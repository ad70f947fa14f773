"""The pure part of answering by text message: a question as one short SMS, and a reply turned into
what `questions.clean_answer` expects. No database and no sending; the dialogue (issue #5) drives these
with `questions.next_question`, exactly as the web flow does.

Our wording is in the active language: the dialogue composes every reply inside
`translation.override(<the conversation page's language>)`, never the request's."""

import re

from django.utils import translation
from django.utils.translation import pgettext

from messaging.sms import TEXT_BREAK, gsm7_lookalikes, segment_info
from parentvoice.languages import primary
from parentvoice.text import is_ascii_digits

from . import sms_words
from .choices import QuestionType
from .questions import OTHER_KEY

NUMBERS = re.compile(r"[0-9]+")  # not \d, which also matches other scripts' digits
# Phones set to Nepali or Urdu type their own digits: a reply of "२" or "۲" means 2.
DIGITS = str.maketrans(
    {
        **{chr(0x0966 + n): str(n) for n in range(10)},  # Devanagari
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Extended Arabic-Indic (Urdu)
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic
    }
)


# Our wording in texts has its own context in the catalogs (msgctxt "sms"): a text's words are often
# shorter than a web page's for the same English.
SMS_CONTEXT = "sms"


def sms_text(message):
    """`message` (a msgid) in the active language, as our texts say it."""
    return pgettext(SMS_CONTEXT, message)


# A question longer than this costs more and may arrive in pieces: its wording is shortened to fit
# where it can be (see `prompt`), and the editor flags the ones that cannot.
MAX_SEGMENTS = 2
# A text in another script (UCS-2) holds 70 characters, not 160: questions in Nepali or Urdu may take
# three segments before they are flagged.
MAX_SEGMENTS_UCS2 = 3
# Up to this many choices, a reply is spelt out ("Reply 1, 2, 3 or 4"); above it, "Reply 1 to 14".
SPELT_OUT_CHOICES = 5


def segments(text):
    return segment_info(gsm7_lookalikes(text)).segments


def max_segments(encoding):
    return MAX_SEGMENTS_UCS2 if encoding == "UCS-2" else MAX_SEGMENTS


def fits(text):
    info = segment_info(gsm7_lookalikes(text))
    return info.segments <= max_segments(info.encoding)


def _word(command):
    """The word our texts name for SKIP, BACK… in the language being written (sms_words)."""
    return sms_words.shown(translation.get_language(), command)


def prompt(question, number, total):
    """The question as a text: 'Q3/9 How easy…? Reply 1 (Very hard) to 5 (Very easy)'.

    The choices are always listed; how to reply is said in the fullest words that keep the text
    within two segments, three in another script ("Reply 1, 2, 3 or 4", else "Reply 1 to 14"). Only a
    question whose own wording and choices are too long is left longer, and the editor flags it."""
    candidates = [
        _prompt(question, number, total, compact=False),
        _prompt(question, number, total, compact=True),
    ]
    return next((text for text in candidates if fits(text)), min(candidates, key=segments))


def _options(question):
    other = [(OTHER_KEY, sms_text("Other"))] if question.other_option else []
    return list(question.choices) + other


def _prompt(question, number, total, *, compact):
    parts = [
        sms_text("Q%(number)s/%(total)s %(question)s")
        % {"number": number, "total": total, "question": question.label}
    ]
    labels = {"low": question.low_label, "high": question.high_label}
    if question.type == QuestionType.SCALE:
        if compact:
            parts.append(sms_text("Reply 1 to 5 (1 %(low)s, 5 %(high)s)") % labels)
        else:
            parts.append(sms_text("Reply 1 (%(low)s) to 5 (%(high)s)") % labels)
    elif question.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        options = _options(question)
        parts.append(" ".join(f"{index}={label}" for index, (_, label) in enumerate(options, start=1)))
        if question.type == QuestionType.MULTIPLE_CHOICE:
            parts.append(
                sms_text("Reply with the numbers, e.g. 1 3")
                if compact
                else sms_text("Reply with all the numbers that apply, e.g. 1 3")
            )
        else:
            parts.append(_reply_choice(len(options), compact=compact))
    elif question.type == QuestionType.NUMBER:
        parts.append(sms_text("Reply with a number"))
    else:
        parts.append(sms_text("Reply with your answer"))
    if not question.required:
        parts.append(sms_text("or %(skip)s") % {"skip": _word("skip")})
    return " ".join(parts)


def _reply_choice(count, *, compact=False):
    if count == 1:
        return sms_text("Reply 1")
    if compact or count > SPELT_OUT_CHOICES:
        return sms_text("Reply 1 to %(count)s") % {"count": count}
    return sms_text("Reply %(numbers)s") % {"numbers": _or_list(count)}


def _or_list(count):
    numbers = [str(n) for n in range(1, count + 1)]
    if count == 1:
        return numbers[0]
    return sms_text("%(numbers)s or %(last)s") % {"numbers": ", ".join(numbers[:-1]), "last": numbers[-1]}


def join_texts(*parts):
    """One text of the parts, one per line, if that fits two segments; else each its own text
    (joined by TEXT_BREAK, which the webhook sends as separate messages)."""
    parts = [part for part in parts if part]
    together = "\n".join(parts)
    return together if fits(together) else TEXT_BREAK.join(parts)


def command(text, language=None):
    """SKIP, BACK, HELP or RESTART when the whole reply is one of them in English or in `language`
    (POMIŃ, POMIN or pomin is SKIP in Polish), else None. With no language: in any language."""
    return sms_words.command(text, language)


def parse_reply(question, text):
    """(raw, other_text) for clean_answer. Numbered options become their keys; anything that is not a
    valid option number is passed through so clean_answer gives its specific message."""
    text = text.strip()
    if question.type != QuestionType.FREE_TEXT:
        text = text.translate(DIGITS)  # a free-text answer is kept as typed
    if question.type == QuestionType.SINGLE_CHOICE:
        return _option_key(question, text) or text, ""
    if question.type == QuestionType.SCALE:
        return text.rstrip("."), ""
    if question.type == QuestionType.MULTIPLE_CHOICE:
        options = [key for key, _ in question.choices] + ([OTHER_KEY] if question.other_option else [])
        numbers = NUMBERS.findall(text)
        if not numbers:
            return [text], ""  # not a list of numbers: let clean_answer explain
        picked = []
        for number in numbers:
            index = int(number) - 1
            if not 0 <= index < len(options):
                return [f"#{number}"], ""
            picked.append(options[index])
        # Words beside the numbers ("1 and 3") are ignored, unless they say what 'Other' is.
        other_text = NUMBERS.sub("", text).strip(" ,;") if OTHER_KEY in picked else ""
        return picked, other_text
    return text, ""


def _option_key(question, text):
    """A choice by its number, or by its label typed in full ("yes" for "Yes")."""
    text = text.rstrip(".!")
    if is_ascii_digits(text):
        index = int(text) - 1
        if 0 <= index < len(question.choices):
            return question.choices[index][0]
        return None
    by_label = {label.casefold(): key for key, label in question.choices}
    return by_label.get(text.casefold())


def allowed(question):
    """What a reply to this question may be, as the end of a re-prompt."""
    if question.type == QuestionType.SCALE:
        allowed_text = sms_text("Reply with a number from 1 to 5")
    elif question.type == QuestionType.SINGLE_CHOICE:
        allowed_text = _reply_choice(len(question.choices))
    elif question.type == QuestionType.MULTIPLE_CHOICE:
        allowed_text = sms_text("Reply with all the numbers that apply, e.g. 1 3")
    elif question.type == QuestionType.NUMBER:
        low, high = question.min_value, question.max_value
        if low is not None and high is not None:
            allowed_text = sms_text("Reply with a whole number from %(low)s to %(high)s") % {
                "low": low,
                "high": high,
            }
        else:
            allowed_text = sms_text("Reply with a whole number, e.g. 3")
    else:
        allowed_text = sms_text("Reply with your answer in words")
    if question.required:
        return allowed_text
    return f"{allowed_text} {sms_text('or %(skip)s') % {'skip': _word('skip')}}"


def problem(question, error_message, reply):
    """A short, specific re-prompt after a reply that did not answer the question."""
    # On one line: a reply may be several texts split at TEXT_BREAK, which a parent could type.
    shown = " ".join(reply.split())
    if question.type == QuestionType.MULTIPLE_CHOICE:
        count = len(_options(question))
        wrong = [n for n in NUMBERS.findall(shown) if not 1 <= int(n) <= count]
        if wrong:
            shown = wrong[0]  # "1 0" -> "Sorry, 0 is not one of the choices"
    shown = shown if len(shown) <= 20 else shown[:17] + "..."
    message = str(error_message)
    if question.type == QuestionType.MULTIPLE_CHOICE and OTHER_KEY in parse_reply(question, reply)[0]:
        # Picked 'Other' (by its number) but said nothing after it, or too much.
        return sms_text("Say what 'Other' is after the numbers, e.g. %(number)s my answer.") % {
            "number": len(question.choices) + 1
        }
    if question.is_choice and shown:
        return sms_text("Sorry, %(reply)s is not one of the choices. %(allowed)s.") % {
            "reply": shown,
            "allowed": allowed(question),
        }
    if not shown:
        return sms_text("This question needs an answer. %(allowed)s.") % {"allowed": allowed(question)}
    if message.startswith("Enter "):
        # Number questions: the core's own English message is already specific ("…20 or less");
        # in another language, what is allowed, in that language.
        if primary(translation.get_language() or "en") == "en":
            return message.replace("Enter ", "Reply with ", 1) + "."
        return allowed(question) + "."
    return message + "."
