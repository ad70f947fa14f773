"""Entering a paper questionnaire in the admin: every question on one form, checked with the same
rules as the web flow, saved as one complete response with channel 'paper'."""

from django import forms
from django.conf import settings
from django.db import transaction

from messaging.choices import FollowRoute
from parentvoice.forms import CleanTextMixin, EmailAddressField, UKMobileField

from . import follow_up, services
from .choices import QuestionType, ResponseChannel
from .questions import OTHER_KEY, AnswerError, clean_answer, kept_answers, visible_questions
from .translations import english_name

NO = "no"
TELL_ME_CHOICES = [(NO, "No"), ("email", "By email"), ("sms", "By text message")]


class PaperResponseForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.schema = services.schema_for(page)
        self.fields["language"] = forms.ChoiceField(
            label="Language of the paper form",
            choices=[(code, english_name(code)) for code, _ in settings.LANGUAGES],
            # Entering from a translation's page means a form printed from it.
            initial=page.language_code,
            required=False,
            help_text="Answers in every language are counted together, with the language as a breakdown.",
        )
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
        self.fields["tell_me"] = forms.ChoiceField(
            label="Did they ask to be told what we decide?",
            choices=TELL_ME_CHOICES,
            widget=forms.RadioSelect,
            required=False,
            initial=NO,
            help_text="A new address is sent a confirmation first: they are told only once they confirm.",
        )
        self.fields["tell_email"] = EmailAddressField(
            label="Their email address (if by email)",
            required=False,
            error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
        )
        self.fields["tell_mobile"] = UKMobileField(
            label="Their UK mobile number (if by text)", required=False
        )

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
        self._clean_tell_me(cleaned)
        return cleaned

    def _clean_tell_me(self, cleaned):
        how = cleaned.get("tell_me") or NO
        cleaned["tell_me"] = how
        # Only the address for the way they chose is used (and checked).
        for channel, name in (("email", "tell_email"), ("sms", "tell_mobile")):
            if how != channel:
                self._errors.pop(name, None)
                cleaned[name] = ""
        if how == "email":
            cleaned["tell_email"] = (cleaned.get("tell_email") or "").strip().lower()
            if not cleaned["tell_email"] and "tell_email" not in self.errors:
                self.add_error("tell_email", "Enter the email address they wrote down")
        if how == "sms" and not cleaned.get("tell_mobile") and "tell_mobile" not in self.errors:
            self.add_error("tell_mobile", "Enter the mobile number they wrote down")

    def save(self, user):
        """The response and, if they asked, their request to be told: both or neither. Returns
        (response, follow_up.Asked or None)."""
        how = self.cleaned_data.get("tell_me") or NO
        with transaction.atomic():
            response = services.submit_response(
                self.page,
                self.answers,
                channel=ResponseChannel.PAPER,
                entered_by=user,
                language=self.cleaned_data.get("language") or self.page.language_code,
            )
            asked = None
            if how != NO:
                asked = follow_up.ask_to_be_told(
                    self.page,
                    channel=how,
                    route=FollowRoute.PAPER,
                    wording=follow_up.paper_wording(self.page.title),
                    address=self.cleaned_data["tell_email" if how == "email" else "tell_mobile"],
                )
        return response, asked
