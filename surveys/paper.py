"""Entering a paper questionnaire in the admin: every question on one form, checked with the same
rules as the web flow, saved as one complete response with channel 'paper'."""

from django import forms

from parentvoice.forms import CleanTextMixin

from . import services
from .choices import QuestionType, ResponseChannel
from .questions import OTHER_KEY, AnswerError, clean_answer, kept_answers, visible_questions


class PaperResponseForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.schema = services.schema_for(page)
        for question in self.schema:
            label = question.label + ("" if question.required else " (optional)")
            if question.type == QuestionType.MULTIPLE_CHOICE:
                choices = list(question.choices) + ([(OTHER_KEY, "Other")] if question.other_option else [])
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
                if question.other_option:
                    self.fields[f"{question.id}-other"] = forms.CharField(
                        label="Other, please say", required=False
                    )
            elif question.is_choice:
                field = forms.ChoiceField(choices=list(question.choices), widget=forms.RadioSelect)
            elif question.type == QuestionType.FREE_TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
            else:
                field = forms.CharField()
            field.required = False
            field.label = label
            field.help_text = question.hint
            self.fields[question.id] = field
            if f"{question.id}-other" in self.fields:  # keep 'other' right after its question
                self.fields[f"{question.id}-other"] = self.fields.pop(f"{question.id}-other")

    def clean(self):
        cleaned = super().clean()
        answers = {}
        for question in self.schema:
            raw = cleaned.get(question.id)
            try:
                answers[question.id] = clean_answer(question, raw, cleaned.get(f"{question.id}-other", ""))
            except AnswerError as problem:
                answers[question.id] = problem
        # Only questions the paper form would have asked, given the earlier answers, must be answered.
        usable = {qid: a for qid, a in answers.items() if not isinstance(a, AnswerError)}
        for question in visible_questions(self.schema, usable):
            if isinstance(answers[question.id], AnswerError):
                self.add_error(question.id, answers[question.id].message)
        self.answers = kept_answers(self.schema, usable)
        return cleaned

    def save(self, user):
        return services.submit_response(
            self.page, self.answers, channel=ResponseChannel.PAPER, entered_by=user
        )
