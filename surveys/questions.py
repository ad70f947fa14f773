"""The pure core of answering: a consultation's questions as plain data, which question comes
next, and what a typed answer means. No database, no requests: the web flow and the SMS dialogue
both drive these functions.

Answers are a dict {question id: value}. Values: a choice key (single choice, scale), a list of keys
plus optional "other" text (multiple choice: {"keys": [...], "other": "..."}), a string (free text),
an int (number), or SKIPPED for an optional question the person chose not to answer.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from parentvoice.text import NUL_MESSAGE, clean_text, has_nul, parse_int

from .choices import QuestionType

SKIPPED = ""
OTHER_KEY = "other"
SCALE_KEYS = ("1", "2", "3", "4", "5")
CODE_MAX_LENGTH = 40
CODE_RE = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{CODE_MAX_LENGTH - 1}}}")
# Characters that look like nothing but would make "weekends" and "weekends\u200b" two different keys.
INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff"
EDGES_RE = re.compile(rf"\A[\s{INVISIBLE_EDGES}]+|[\s{INVISIBLE_EDGES}]+\Z")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    code: str
    label: str
    hint: str = ""
    required: bool = True
    choices: tuple = ()  # ((key, label), ...)
    other_option: bool = False
    max_length: int = 1000
    min_value: int | None = None
    max_value: int | None = None
    low_label: str = ""
    high_label: str = ""
    show_if: tuple | None = None  # (question code, answer key)
    section: str = ""
    section_text: str = ""

    @property
    def choice_labels(self):
        return dict(self.choices)

    @property
    def is_choice(self):
        return self.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.SCALE}


def _in_language_shown(msgid: str, params: dict) -> str:
    return gettext(msgid) % params


# An answer's error is made once and shown later: on the web page, or in the SMS reply composed under
# the conversation's language. So it is translated when it is shown, not when it is raised.
_message = lazy(_in_language_shown, str)


@dataclass
class AnswerError(Exception):
    message: str  # lazy: translated into the language active when it is shown
    kept: object = field(default=None)

    def __str__(self):
        return str(self.message)


def build_schema(stream_value, extra=()):
    """Questions from the StreamField value (section headings attach to the question after them),
    followed by `extra` Question objects (the optional 'About you' questions)."""
    questions = []
    section, section_text = "", ""
    for child in stream_value:
        value = child.value
        if child.block_type == "section":
            section, section_text = value["heading"], value.get("text") or ""
            continue
        show_if = value.get("show_if") or {}
        kwargs = {
            "id": str(child.id),
            "type": child.block_type,
            "code": value["code"],
            "label": value["label"],
            "hint": value.get("hint") or "",
            "required": bool(value.get("required")),
            "show_if": (show_if["question"], show_if["answer"]) if show_if.get("question") else None,
            "section": section,
            "section_text": section_text,
        }
        section, section_text = "", ""
        if child.block_type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
            kwargs["choices"] = tuple((c["key"], c["label"]) for c in value["choices"])
            kwargs["other_option"] = bool(value.get("other_option"))
        elif child.block_type == QuestionType.SCALE:
            kwargs["choices"] = tuple((key, key) for key in SCALE_KEYS)
            kwargs["low_label"], kwargs["high_label"] = value["low_label"], value["high_label"]
        elif child.block_type == QuestionType.FREE_TEXT:
            kwargs["max_length"] = value.get("max_length") or 1000
        elif child.block_type == QuestionType.NUMBER:
            kwargs["min_value"], kwargs["max_value"] = value.get("min_value"), value.get("max_value")
        questions.append(Question(**kwargs))
    return [*questions, *extra]


def _answer_keys(value):
    if isinstance(value, dict):
        return set(value.get("keys") or [])
    return {str(value)} if value not in (None, SKIPPED) else set()


def is_visible(question, schema, answers):
    if question.show_if is None:
        return True
    code, wanted = question.show_if
    source = next((q for q in schema if q.code == code), None)
    if source is None or not is_visible(source, schema, answers):
        return False
    return wanted in _answer_keys(answers.get(source.id))


def visible_questions(schema, answers):
    return [q for q in schema if is_visible(q, schema, answers)]


def next_question(schema, answers):
    """The first question the person should see that they have not answered yet, or None when done."""
    for question in visible_questions(schema, answers):
        if question.id not in answers:
            return question
    return None


def previous_question(schema, answers, question):
    visible = visible_questions(schema, answers)
    if question not in visible:
        return None
    index = visible.index(question)
    return visible[index - 1] if index > 0 else None


def progress(schema, answers, question):
    """(number, total) for "Question 3 of 9"; the total follows the answers given so far."""
    visible = visible_questions(schema, answers)
    return (visible.index(question) + 1 if question in visible else len(visible)), len(visible)


def kept_answers(schema, answers):
    """Only the answers to questions that are still visible (changing an earlier answer can hide one)."""
    visible_ids = {q.id for q in visible_questions(schema, answers)}
    return {qid: value for qid, value in answers.items() if qid in visible_ids}


def is_complete(schema, answers):
    return next_question(schema, answers) is None


def clean_answer(question, raw, other_text=""):
    """Turn what someone typed or picked into a stored value, or raise AnswerError with a specific,
    plain-English message. `raw` is a string, or a list of strings for multiple choice.

    Text is cleaned here (`parentvoice.text`), so every channel stores the same: control characters
    go, free text keeps its line breaks, and a NUL is refused (a database cannot store it)."""
    if has_nul(raw) or has_nul(other_text):
        raise AnswerError(_(NUL_MESSAGE), kept=clean_text(raw) if isinstance(raw, str) else raw)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        keys = [k for k in (raw or []) if k]
        valid = {key for key, _ in question.choices} | ({OTHER_KEY} if question.other_option else set())
        if any(k not in valid for k in keys):
            raise AnswerError(_("Select from the options given"), kept=keys)
        other_text = clean_text(other_text).strip()
        if OTHER_KEY in keys and not other_text:
            raise AnswerError(_("Say what 'other' means for you, or untick 'Other'"), kept=keys)
        if len(other_text) > 500:
            raise AnswerError(_("Your 'other' answer must be 500 characters or fewer"), kept=keys)
        if not keys:
            return _missing(question, _("Select all that apply"), [])
        ordered = [key for key, _ in question.choices if key in keys] + (
            [OTHER_KEY] if OTHER_KEY in keys else []
        )
        return {"keys": ordered, "other": other_text if OTHER_KEY in keys else ""}
    if isinstance(raw, str) or raw is None:
        raw = clean_text(raw, multiline=question.type == QuestionType.FREE_TEXT).strip()
    if question.type in {QuestionType.SINGLE_CHOICE, QuestionType.SCALE}:
        if not raw:
            return _missing(
                question,
                _("Select an answer")
                if question.type != QuestionType.SCALE
                else _("Select a number from 1 to 5"),
                raw,
            )
        if raw not in question.choice_labels:
            raise AnswerError(_("Select one of the options given"), kept=raw)
        return raw
    if question.type == QuestionType.FREE_TEXT:
        if not raw:
            return _missing(question, _("Enter your answer"), raw)
        if len(raw) > question.max_length:
            raise AnswerError(
                _message(
                    gettext_noop("Your answer must be %(count)s characters or fewer"),
                    {"count": question.max_length},
                ),
                kept=raw,
            )
        return raw
    if question.type == QuestionType.NUMBER:
        if not raw:
            return _missing(question, _("Enter a number"), raw)
        # The digits 0-9 only: "²" passes str.isdigit() but not int(), and "١" is not what we asked for.
        number = parse_int(raw.replace(",", "").replace(" ", ""), max_digits=9)
        if number is None:
            raise AnswerError(_("Enter a whole number, like 3"), kept=raw)
        if question.min_value is not None and number < question.min_value:
            raise AnswerError(
                _message(
                    gettext_noop("Enter a number that is %(number)s or more"), {"number": question.min_value}
                ),
                kept=raw,
            )
        if question.max_value is not None and number > question.max_value:
            raise AnswerError(
                _message(
                    gettext_noop("Enter a number that is %(number)s or less"), {"number": question.max_value}
                ),
                kept=raw,
            )
        return number
    raise AnswerError(_("This question cannot be answered"), kept=raw)


def _missing(question, message, kept):
    if question.required:
        raise AnswerError(message, kept=kept)
    return SKIPPED


def display_answer(question, value):
    """An answer in words, for the check-your-answers page and exports, in the active language."""
    if value in (None, SKIPPED):
        return gettext("Not answered")
    labels = question.choice_labels
    if question.type == QuestionType.MULTIPLE_CHOICE:
        parts = [
            str(labels.get(k, gettext("Other")))
            if k != OTHER_KEY
            else gettext("Other: %(text)s") % {"text": value.get("other", "")}
            for k in value["keys"]
        ]
        return ", ".join(parts)
    if question.type == QuestionType.SCALE:
        return gettext("%(number)s out of 5") % {"number": value}
    if question.type == QuestionType.SINGLE_CHOICE:
        return str(labels.get(value, value))
    return str(value)


# --- Codes and choice keys -------------------------------------------------------------------
# Answers are stored against choice keys and "Only ask if" rules name question codes, so both are
# plain, stable identifiers. Officers may leave them blank: they are made from the wording once,
# when first saved, and never regenerated after that (a saved code is in the form like any value).


def normalise_code(raw: str | None) -> str:
    """What the officer meant: surrounding spaces and invisible characters go, and capitals in an
    otherwise plain code become lower case. Anything odder is left for `code_problem` to explain."""
    code = EDGES_RE.sub("", raw or "")
    return code.lower() if code.isascii() else code


def code_problem(code: str) -> str | None:
    """A plain-English reason a (normalised, non-empty) code or key cannot be used, or None."""
    if CODE_RE.fullmatch(code):
        return None
    suggestion = slug_code(code, fallback="")
    like = f", like '{suggestion}'" if suggestion and CODE_RE.fullmatch(suggestion) else ""
    if any(unicodedata.category(char).startswith("C") for char in code):
        return f"It contains an invisible or control character. Retype it using letters, numbers and hyphens{like}."
    if any(char.isspace() for char in code):
        return f"Use hyphens instead of spaces{like}."
    if len(code) > CODE_MAX_LENGTH:
        return f"Use {CODE_MAX_LENGTH} characters or fewer{like}."
    odd = next((char for char in code if not re.fullmatch(r"[a-z0-9_-]", char)), None)
    if odd is not None:
        return f"'{odd}' cannot be used: use letters a to z, numbers, hyphens and underscores{like}."
    return f"Start with a letter or a number{like}."


def slug_code(text: str, fallback: str = "question", max_length: int = 30) -> str:
    """A short code from wording: "Have you been to a forum?" -> "have-you-been-to-a-forum".
    Accents are dropped ("café" -> "cafe"); whole words are kept up to `max_length` characters."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    code = ""
    for word in words:
        candidate = f"{code}-{word}" if code else word
        if len(candidate) > max_length:
            break
        code = candidate
    if not code and words:
        code = words[0][:max_length]
    return code or fallback


def unique_code(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`… : the first not in `taken`, never longer than a code may be."""
    taken = set(taken)
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: CODE_MAX_LENGTH - len(suffix)].rstrip("-_") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def fill_codes(
    items: Sequence[tuple[str, str]], fallback: str = "question", reserved: Iterable[str] = ()
) -> list[str]:
    """Codes for (code, wording) pairs in order: a given code is kept as it is; a blank one is made
    from the wording, unique among all the others and `reserved` (given ones anywhere in the list
    come first, so a new question never takes the code an existing one already has)."""
    taken = {code for code, _ in items if code} | set(reserved)
    codes = []
    for code, wording in items:
        if not code:
            code = unique_code(slug_code(wording, fallback=fallback), taken)
            taken.add(code)
        codes.append(code)
    return codes


# --- "Only ask if" --------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftQuestion:
    """A question as written in the editor, for checking "Only ask if" rules before saving."""

    code: str
    label: str
    answers: tuple | None = None  # answer keys of a choice or scale question; None for other types
    show_if: tuple | None = None  # (question code, answer key)


def show_if_problems(drafts: Sequence[DraftQuestion]) -> dict[int, tuple[str, str]]:
    """{index: (field, message)} for each rule that does not name an earlier choice or scale
    question and one of its answers; field is "question" or "answer"."""
    problems = {}
    earlier = {}
    positions = {draft.code: index for index, draft in enumerate(drafts)}
    for index, draft in enumerate(drafts):
        if draft.show_if is not None:
            target, answer = draft.show_if
            source = earlier.get(target)
            if not target:
                problems[index] = ("question", "Choose the earlier question this depends on.")
            elif source is None and positions.get(target) == index:
                problems[index] = ("question", "A question cannot depend on its own answer.")
            elif source is None and positions.get(target, -1) > index:
                problems[index] = (
                    "question",
                    f"'Only ask if' can only depend on a question that comes before this one; "
                    f"'{target}' comes after it.",
                )
            elif source is None:
                problems[index] = ("question", f"There is no question with the code '{target}'.")
            elif source.answers is None:
                problems[index] = (
                    "question",
                    f"'{source.label}' is not a choice or scale question, so it cannot decide this.",
                )
            elif not answer:
                problems[index] = (
                    "answer",
                    f"Choose the answer to '{source.label}' that shows this question.",
                )
            elif answer not in source.answers:
                problems[index] = ("answer", f"'{source.label}' has no answer with the key '{answer}'.")
        earlier.setdefault(draft.code, draft)
    return problems
