"""The pure core of answering: a consultation's questions as plain data, which question comes
next, and what a typed answer means. No database, no requests: the web flow and the SMS dialogue
both drive these functions.

Answers are a dict {question id: value}. Values: a choice key (single choice, scale), a list of keys
plus optional "other" text (multiple choice: {"keys": [...], "other": "..."}), a string (free text),
an int (number), or SKIPPED for an optional question the person chose not to answer.
"""

from dataclasses import dataclass, field

from parentvoice.text import NUL_MESSAGE, clean_text, has_nul, parse_int

from .choices import QuestionType

SKIPPED = ""
OTHER_KEY = "other"
SCALE_KEYS = ("1", "2", "3", "4", "5")


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


@dataclass
class AnswerError(Exception):
    message: str
    kept: object = field(default=None)

    def __str__(self):
        return self.message


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
        raise AnswerError(NUL_MESSAGE, kept=clean_text(raw) if isinstance(raw, str) else raw)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        keys = [k for k in (raw or []) if k]
        valid = {key for key, _ in question.choices} | ({OTHER_KEY} if question.other_option else set())
        if any(k not in valid for k in keys):
            raise AnswerError("Select from the options given", kept=keys)
        other_text = clean_text(other_text).strip()
        if OTHER_KEY in keys and not other_text:
            raise AnswerError("Say what 'other' means for you, or untick 'Other'", kept=keys)
        if len(other_text) > 500:
            raise AnswerError("Your 'other' answer must be 500 characters or fewer", kept=keys)
        if not keys:
            return _missing(question, "Select all that apply", [])
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
                "Select an answer" if question.type != QuestionType.SCALE else "Select a number from 1 to 5",
                raw,
            )
        if raw not in question.choice_labels:
            raise AnswerError("Select one of the options given", kept=raw)
        return raw
    if question.type == QuestionType.FREE_TEXT:
        if not raw:
            return _missing(question, "Enter your answer", raw)
        if len(raw) > question.max_length:
            raise AnswerError(f"Your answer must be {question.max_length} characters or fewer", kept=raw)
        return raw
    if question.type == QuestionType.NUMBER:
        if not raw:
            return _missing(question, "Enter a number", raw)
        # The digits 0-9 only: "²" passes str.isdigit() but not int(), and "١" is not what we asked for.
        number = parse_int(raw.replace(",", "").replace(" ", ""), max_digits=9)
        if number is None:
            raise AnswerError("Enter a whole number, like 3", kept=raw)
        if question.min_value is not None and number < question.min_value:
            raise AnswerError(f"Enter a number that is {question.min_value} or more", kept=raw)
        if question.max_value is not None and number > question.max_value:
            raise AnswerError(f"Enter a number that is {question.max_value} or less", kept=raw)
        return number
    raise AnswerError("This question cannot be answered", kept=raw)


def _missing(question, message, kept):
    if question.required:
        raise AnswerError(message, kept=kept)
    return SKIPPED


def display_answer(question, value):
    """An answer in words, for the check-your-answers page and exports."""
    if value in (None, SKIPPED):
        return "Not answered"
    labels = question.choice_labels
    if question.type == QuestionType.MULTIPLE_CHOICE:
        parts = [
            labels.get(k, "Other") if k != OTHER_KEY else f"Other: {value.get('other', '')}"
            for k in value["keys"]
        ]
        return ", ".join(parts)
    if question.type == QuestionType.SCALE:
        return f"{value} out of 5"
    if question.type == QuestionType.SINGLE_CHOICE:
        return labels.get(value, value)
    return str(value)
