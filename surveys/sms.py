"""The pure part of answering by text message: a question as one short SMS, and a reply turned into
what `questions.clean_answer` expects. No database and no sending; the dialogue (issue #5) drives these
with `questions.next_question`, exactly as the web flow does."""

import re

from parentvoice.text import is_ascii_digits

from .choices import QuestionType
from .questions import OTHER_KEY

COMMANDS = {"SKIP", "BACK", "HELP", "RESTART"}
NUMBERS = re.compile(r"[0-9]+")  # not \d, which also matches other scripts' digits


def prompt(question, number, total):
    """The question as a text: 'Q3/9 How easy…? Reply 1 (Very hard) to 5 (Very easy)'."""
    parts = [f"Q{number}/{total} {question.label}"]
    if question.type == QuestionType.SCALE:
        parts.append(f"Reply 1 ({question.low_label}) to 5 ({question.high_label})")
    elif question.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        options = list(question.choices) + ([(OTHER_KEY, "Other")] if question.other_option else [])
        parts.append(" ".join(f"{index}={label}" for index, (_, label) in enumerate(options, start=1)))
        if question.type == QuestionType.MULTIPLE_CHOICE:
            parts.append("Reply with all the numbers that apply, e.g. 1 3")
        else:
            parts.append(f"Reply {_or_list(len(options))}")
    elif question.type == QuestionType.NUMBER:
        parts.append("Reply with a number")
    else:
        parts.append("Reply with your answer")
    if not question.required:
        parts.append("or SKIP")
    return " ".join(parts)


def _or_list(count):
    numbers = [str(n) for n in range(1, count + 1)]
    return numbers[0] if count == 1 else ", ".join(numbers[:-1]) + " or " + numbers[-1]


def command(text):
    """SKIP, BACK, HELP or RESTART when the whole reply is one of them, else None."""
    word = text.strip().upper().rstrip(".!")
    return word if word in COMMANDS else None


def parse_reply(question, text):
    """(raw, other_text) for clean_answer. Numbered options become their keys; anything that is not a
    valid option number is passed through so clean_answer gives its specific message."""
    text = text.strip()
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
        allowed_text = "Reply with a number from 1 to 5"
    elif question.type == QuestionType.SINGLE_CHOICE:
        allowed_text = f"Reply {_or_list(len(question.choices))}"
    elif question.type == QuestionType.MULTIPLE_CHOICE:
        allowed_text = "Reply with all the numbers that apply, e.g. 1 3"
    elif question.type == QuestionType.NUMBER:
        low, high = question.min_value, question.max_value
        if low is not None and high is not None:
            allowed_text = f"Reply with a whole number from {low} to {high}"
        else:
            allowed_text = "Reply with a whole number, e.g. 3"
    else:
        allowed_text = "Reply with your answer in words"
    return allowed_text + (" or SKIP" if not question.required else "")


def problem(question, error_message, reply):
    """A short, specific re-prompt after a reply that did not answer the question."""
    shown = reply.strip()
    shown = shown if len(shown) <= 20 else shown[:17] + "..."
    if question.type in {QuestionType.SINGLE_CHOICE, QuestionType.SCALE} and shown:
        return f"Sorry, {shown} is not one of the choices. {allowed(question)}."
    if question.type == QuestionType.MULTIPLE_CHOICE and "other" in error_message.lower():
        return f"Say what 'Other' is after the numbers, e.g. {len(question.choices) + 1} my answer."
    if question.type == QuestionType.MULTIPLE_CHOICE and shown:
        return f"Sorry, {shown} is not a list of the choices. {allowed(question)}."
    if not shown:
        return f"This question needs an answer. {allowed(question)}."
    # Number and free text: the core's own message is already specific ("…20 or less").
    return error_message.replace("Enter ", "Reply with ", 1) + "."
