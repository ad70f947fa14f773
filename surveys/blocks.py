"""Question blocks for a consultation's `questions` StreamField.

Answers are stored against each block's stable id, and choices against their `key`, so wording can be
corrected (or translated) after responses arrive without orphaning any answer."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

CODE_REGEX = r"^[a-z0-9][a-z0-9_-]{0,39}$"
CODE_ERROR = "Use lower-case letters, numbers, hyphens and underscores, starting with a letter or number."
CHOICE_TYPES = {"single_choice", "multiple_choice", "scale"}


class ChoiceItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=120)
    key = blocks.RegexBlock(
        regex=CODE_REGEX,
        error_messages={"invalid": CODE_ERROR},
        max_length=40,
        help_text="A short code that never changes, e.g. 'weekends'. Answers are stored against it.",
    )

    class Meta:
        icon = "radio-full"


class ShowIfBlock(blocks.StructBlock):
    question = blocks.RegexBlock(
        regex=CODE_REGEX,
        required=False,
        error_messages={"invalid": CODE_ERROR},
        help_text="The code of an earlier choice or scale question. Leave empty to always ask.",
    )
    answer = blocks.CharBlock(
        required=False, max_length=40, help_text="The choice key (or 1 to 5 for a scale)."
    )

    class Meta:
        icon = "view"
        label = "Only ask if"


class BaseQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=250, help_text="The question, in plain English.")
    hint = blocks.TextBlock(required=False, help_text="Optional extra help shown under the question.")
    required = blocks.BooleanBlock(required=False, default=True, help_text="Untick to let people skip it.")
    code = blocks.RegexBlock(
        regex=CODE_REGEX,
        max_length=40,
        error_messages={"invalid": CODE_ERROR},
        help_text="A short code for exports and 'only ask if', e.g. 'childcare-cost'.",
    )
    show_if = ShowIfBlock(required=False)


def _validate_choices(value):
    keys = [choice["key"] for choice in value["choices"]]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise StructBlockValidationError(
            block_errors={
                "choices": ValidationError(
                    f"Each choice needs its own key: {', '.join(duplicates)} is used twice."
                )
            }
        )


class SingleChoiceQuestionBlock(BaseQuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), min_num=2, max_num=12)

    def clean(self, value):
        value = super().clean(value)
        _validate_choices(value)
        return value

    class Meta:
        icon = "radio-empty"
        label = "Single choice question"


class MultipleChoiceQuestionBlock(BaseQuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), min_num=2, max_num=15)
    other_option = blocks.BooleanBlock(required=False, help_text="Add 'Other, please say' with a text box.")

    def clean(self, value):
        value = super().clean(value)
        _validate_choices(value)
        return value

    class Meta:
        icon = "tasks"
        label = "Multiple choice question"


class ScaleQuestionBlock(BaseQuestionBlock):
    low_label = blocks.CharBlock(max_length=60, default="Very poor", help_text="What 1 means.")
    high_label = blocks.CharBlock(max_length=60, default="Very good", help_text="What 5 means.")

    class Meta:
        icon = "order"
        label = "Scale question (1 to 5)"


class FreeTextQuestionBlock(BaseQuestionBlock):
    max_length = blocks.IntegerBlock(
        default=1000, min_value=20, max_value=5000, help_text="Most characters allowed."
    )

    class Meta:
        icon = "pilcrow"
        label = "Free text question"


class NumberQuestionBlock(BaseQuestionBlock):
    min_value = blocks.IntegerBlock(required=False)
    max_value = blocks.IntegerBlock(required=False)

    class Meta:
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
        errors = {}
        seen = {}  # code -> set of valid answers for a choice/scale question
        for index, child in enumerate(value):
            if child.block_type == "section":
                continue
            code = child.value["code"]
            if code in seen:
                errors[index] = ValidationError(f"Another question already uses the code '{code}'.")
                continue
            show_if = child.value.get("show_if") or {}
            target, answer = show_if.get("question"), show_if.get("answer")
            if target or answer:
                if target not in seen or seen[target] is None:
                    errors[index] = ValidationError(
                        f"'Only ask if' must name an earlier choice or scale question; '{target}' is not one."
                    )
                elif answer not in seen[target]:
                    errors[index] = ValidationError(f"'{target}' has no answer with the key '{answer}'.")
            if child.block_type in CHOICE_TYPES:
                if child.block_type == "scale":
                    seen[code] = {"1", "2", "3", "4", "5"}
                else:
                    seen[code] = {choice["key"] for choice in child.value["choices"]}
            else:
                seen[code] = None
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
