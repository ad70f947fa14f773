"""Forms on a safeguarding case: record what was done, close with an outcome, reopen; flag by hand."""

from django import forms

from .choices import CaseActionKind, CaseOutcome
from .workflow import REVIEW_KINDS

NOTE_HELP = "What you did and why. Do not copy the parent's words here: they are on the case already."


class CasePageForm(forms.Form):
    """One case page holds the action, close and reopen forms: each gets its own id prefix, so no
    two boxes are "id_note" (a label would point at the other form's box)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ActionForm(CasePageForm):
    id_prefix = "action"

    kind = forms.ChoiceField(
        label="What did you do?",
        choices=[(kind.value, kind.label) for kind in (*REVIEW_KINDS, CaseActionKind.NOTE)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you did"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NOTE_HELP,
    )


class CloseForm(CasePageForm):
    id_prefix = "close"

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CaseOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome to close the case"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HELP,
    )


class ReopenForm(CasePageForm):
    id_prefix = "reopen"

    note = forms.CharField(
        label="Why are you reopening it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FlagForm(forms.Form):
    kind = forms.CharField(max_length=40)
    source_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=2000)
    next = forms.CharField(required=False, max_length=2000)
