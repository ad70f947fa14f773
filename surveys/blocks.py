"""Question blocks for a consultation's `questions` StreamField.

Answers are stored against each block's stable id, and choices against their `key`, so wording can be
corrected (or translated) after responses arrive without orphaning any answer."""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.blocks.struct_block import BlockGroup, StructBlockAdapter, StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from .about_you import AGES_ID, DISABILITY_ID, DISTRICT_ID, ETHNICITY_ID, ROLE_ID
from .questions import (
    OTHER_KEY,
    SCALE_KEYS,
    DraftQuestion,
    code_problem,
    fill_codes,
    normalise_code,
    show_if_problems,
)

CHOICE_TYPES = {"single_choice", "multiple_choice", "scale"}
# Added after the consultation's own questions, so their codes cannot be used by one of them.
ABOUT_YOU_CODES = frozenset({ROLE_ID, AGES_ID, DISTRICT_ID, DISABILITY_ID, ETHNICITY_ID})
# The export's own columns come before the questions' (one column per question code): a question with
# one of these codes would make two columns of the same name.
EXPORT_COLUMNS = (
    "response", "completed_at", "channel", "district", "parent_role", "ethnicity", "disability", "partner",
    "language",
)  # fmt: skip


class CodeBlock(blocks.CharBlock):
    """A question code or choice key: trimmed, lower-cased, and explained when it cannot be used.
    Blank is allowed here; the question or stream fills it from the wording when saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = normalise_code(value)
        problem = code_problem(value) if value else None
        if problem:
            raise ValidationError(problem)
        return value


def _advanced(*names):
    # Collapsed by default: codes matter to exports and data, not to writing a good question.
    return BlockGroup(
        list(names),
        heading="Advanced",
        classname="collapsed",
        help_text="Made from the wording when you first save. Change it only before anyone answers.",
    )


class ChoiceItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=120)
    key = CodeBlock(
        label="Key",
        help_text="A short code answers are stored against, e.g. 'weekends'. Leave blank to make one.",
    )

    class Meta:
        icon = "radio-full"
        form_layout = BlockGroup(["label", _advanced("key")])
        form_attrs = {"data-question-choice": ""}


class ShowIfBlock(blocks.StructBlock):
    question = CodeBlock(
        label="Earlier question",
        help_text="Ask this only when someone gave a particular answer to an earlier choice or scale question.",
    )
    answer = CodeBlock(label="Answer", help_text="The answer that means this question is asked.")

    class Meta:
        icon = "view"
        label = "Only ask if"
        form_attrs = {"data-show-if": ""}


class ShowIfBlockAdapter(StructBlockAdapter):
    """Adds the script that turns the two code boxes into lists of the earlier questions and their
    answers, read from the stream form so questions added in the same edit are offered too."""

    @cached_property
    def media(self):
        return super().media + forms.Media(
            js=["surveys/admin/question-authoring.js"], css={"all": ["surveys/admin/question-authoring.css"]}
        )


register(ShowIfBlockAdapter(), ShowIfBlock)


# A new choice question opens with the two choices it needs, not one and a warning.
TWO_EMPTY_CHOICES = [{"label": "", "key": ""}, {"label": "", "key": ""}]


def _question_layout(*middle):
    return BlockGroup(["label", "hint", *middle, "required", "show_if", _advanced("code")])


class BaseQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=250, help_text="The question, in plain English.")
    hint = blocks.TextBlock(required=False, help_text="Optional extra help shown under the question.")
    required = blocks.BooleanBlock(required=False, default=True, help_text="Untick to let people skip it.")
    code = CodeBlock(
        help_text="A short code for exports, e.g. 'childcare-cost'. Leave blank to make one from the question."
    )
    show_if = ShowIfBlock(required=False)

    class Meta:
        form_layout = _question_layout()
        form_attrs = {"data-question": ""}


def _fill_choice_keys(value, reserved=()):
    """Blank keys made from the choice wording; keys given twice explained on the list."""
    choices = value["choices"]
    if any(choice["key"] in reserved for choice in choices):
        raise StructBlockValidationError(
            block_errors={
                "choices": ValidationError(
                    f"The key '{OTHER_KEY}' is kept for 'Other, please say': tick that below instead, "
                    "or give this choice another key."
                )
            }
        )
    keys = fill_codes(
        [(choice["key"], choice["label"]) for choice in choices], fallback="choice", reserved=reserved
    )
    for choice, key in zip(choices, keys, strict=True):
        choice["key"] = key
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise StructBlockValidationError(
            block_errors={
                "choices": ValidationError(
                    f"Each choice needs its own key: {', '.join(duplicates)} is used more than once."
                )
            }
        )


class SingleChoiceQuestionBlock(BaseQuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), min_num=2, max_num=12, default=TWO_EMPTY_CHOICES)

    def clean(self, value):
        value = super().clean(value)
        _fill_choice_keys(value)
        return value

    class Meta:
        form_layout = _question_layout("choices")
        icon = "radio-empty"
        label = "Single choice question"


class MultipleChoiceQuestionBlock(BaseQuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), min_num=2, max_num=15, default=TWO_EMPTY_CHOICES)
    other_option = blocks.BooleanBlock(required=False, help_text="Add 'Other, please say' with a text box.")

    def clean(self, value):
        value = super().clean(value)
        # An answer "other" means the 'Other, please say' box, and asks for its text.
        _fill_choice_keys(value, reserved={OTHER_KEY})
        return value

    class Meta:
        form_layout = _question_layout("choices", "other_option")
        icon = "tasks"
        label = "Multiple choice question"


class ScaleQuestionBlock(BaseQuestionBlock):
    low_label = blocks.CharBlock(max_length=60, default="Very poor", help_text="What 1 means.")
    high_label = blocks.CharBlock(max_length=60, default="Very good", help_text="What 5 means.")

    class Meta:
        form_layout = _question_layout("low_label", "high_label")
        icon = "order"
        label = "Scale question (1 to 5)"


class FreeTextQuestionBlock(BaseQuestionBlock):
    max_length = blocks.IntegerBlock(
        default=1000, min_value=20, max_value=5000, help_text="Most characters allowed."
    )

    class Meta:
        form_layout = _question_layout("max_length")
        icon = "pilcrow"
        label = "Free text question"


class NumberQuestionBlock(BaseQuestionBlock):
    min_value = blocks.IntegerBlock(required=False)
    max_value = blocks.IntegerBlock(required=False)

    class Meta:
        form_layout = _question_layout("min_value", "max_value")
        icon = "plus-inverse"
        label = "Number question"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)

    class Meta:
        icon = "title"
        label = "Section heading"


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    scale = ScaleQuestionBlock()
    free_text = FreeTextQuestionBlock()
    number = NumberQuestionBlock()
    section = SectionBlock()

    def clean(self, value):
        value = super().clean(value)
        questions = [child for child in value if child.block_type != "section"]
        codes = fill_codes(
            [(child.value["code"], child.value["label"]) for child in questions],
            reserved=ABOUT_YOU_CODES | set(EXPORT_COLUMNS),
        )
        for child, code in zip(questions, codes, strict=True):
            child.value["code"] = code
        errors = {}
        drafts = []
        for index, child in enumerate(value):
            if child.block_type == "section":
                continue
            code = child.value["code"]
            if code in ABOUT_YOU_CODES:
                errors[index] = StructBlockValidationError(
                    block_errors={
                        "code": ValidationError(
                            f"'{code}' belongs to the 'About you' questions. Choose another."
                        )
                    }
                )
            elif code in EXPORT_COLUMNS:
                errors[index] = StructBlockValidationError(
                    block_errors={
                        "code": ValidationError(
                            f"'{code}' is already a column of the responses download. Choose another."
                        )
                    }
                )
            elif any(draft.code == code for draft in drafts):
                errors[index] = StructBlockValidationError(
                    block_errors={
                        "code": ValidationError(f"Another question already uses the code '{code}'.")
                    }
                )
            drafts.append(_draft(child))
        positions = [index for index, child in enumerate(value) if child.block_type != "section"]
        for draft_index, (field, message) in show_if_problems(drafts).items():
            index = positions[draft_index]
            errors.setdefault(
                index,
                StructBlockValidationError(
                    block_errors={
                        "show_if": StructBlockValidationError(block_errors={field: ValidationError(message)})
                    }
                ),
            )
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value


def _draft(child):
    show_if = child.value.get("show_if") or {}
    target, answer = show_if.get("question") or "", show_if.get("answer") or ""
    if child.block_type == "scale":
        answers = SCALE_KEYS
    elif child.block_type in CHOICE_TYPES:
        answers = tuple(choice["key"] for choice in child.value["choices"])
    else:
        answers = None
    return DraftQuestion(
        code=child.value["code"],
        label=child.value["label"],
        answers=answers,
        show_if=(target, answer) if target or answer else None,
    )


# --- Easy read ----------------------------------------------------------------------------------


class EasyReadRowBlock(blocks.StructBlock):
    """One idea: a picture and a sentence or two beside it (the picture first, as easy read lays out)."""

    image = ImageChooserBlock(required=False)
    image_description = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="What the picture shows, for people who cannot see it. Required when there is a picture.",
    )
    text = blocks.TextBlock(help_text="Short sentences: ten words or fewer each.")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("image_description") or "").strip():
            raise StructBlockValidationError(
                block_errors={"image_description": ValidationError("Say what the picture shows.")}
            )
        return value

    class Meta:
        icon = "image"
        label = "Picture and words"
        template = "surveys/blocks/easy_read_row.html"


class EasyReadStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="surveys/blocks/easy_read_heading.html"
    )
    row = EasyReadRowBlock()
