"""Editor forms for 'You said' items and decisions: the answers or points an item can rest on are
listed for the consultation or meeting chosen, so an officer picks them rather than typing ids."""

from django import forms
from django.db import models
from django.utils.text import Truncator
from wagtail.admin.forms import WagtailAdminModelForm

from forums.models import EventPage
from parentvoice.forms import CleanTextMixin
from surveys.models import ConsultationPage

from .choices import RagStatus
from .models import Action, FeedbackItem
from .services.items import evidence_groups, point_options
from .services.public_log import filter_choices


def _chosen(form, field, model):
    """The page chosen in this form: the one just submitted, else the one saved."""
    value = form.data.get(form.add_prefix(field)) if form.is_bound else None
    if value is None:
        value = form.initial.get(field) or getattr(form.instance, f"{field}_id", None)
    if not value:
        return None
    try:
        return model.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group, the group's name as its legend: a consultation's answers
    under their question, rather than one long list."""

    template_name = "feedback_loop/widgets/grouped_checkboxes.html"


class ActionChoiceIterator(forms.models.ModelChoiceIterator):
    """The actions grouped under their priority (one query), so a long plan is a list per priority."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for action in self.queryset.select_related("priority").order_by("priority__number", "number"):
            groups.setdefault(action.priority, []).append(self.choice(action))
        yield from ((str(priority), choices) for priority, choices in groups.items())


class ActionCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one collapsible section per priority (open where an action is ticked): usable
    without JavaScript for a plan of hundreds of actions."""

    template_name = "feedback_loop/widgets/action_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            {
                "label": group,
                "options": options,
                "chosen": sum(1 for option in options if option["selected"]),
            }
            for group, options, _index in context["widget"]["optgroups"]
        ]
        return context


class ActionsField(forms.ModelMultipleChoiceField):
    """The action plan actions a decision or 'You said' item serves, ticked by reference."""

    iterator = ActionChoiceIterator
    widget = ActionCheckboxes

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Action.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Action plan actions")
        kwargs.setdefault(
            "help_text",
            "Open a priority and tick the actions this serves, if any. Its number is shown first, e.g. 1.3.",
        )
        super().__init__(**kwargs)

    def label_from_instance(self, action):
        return f"{action.reference} {Truncator(action.text).chars(110)}"


class FeedbackItemForm(WagtailAdminModelForm):
    evidence = forms.MultipleChoiceField(
        label="Answers it rests on",
        required=False,
        widget=GroupedCheckboxSelectMultiple,
        help_text="The number in brackets is how many people gave that answer.",
    )
    point_id = forms.ChoiceField(label="Point raised", required=False, widget=forms.RadioSelect)
    actions = ActionsField(help_text="Open a priority and tick the actions this feeds into, if any.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultation = _chosen(self, "consultation", ConsultationPage)
        event = _chosen(self, "event", EventPage)
        self.fields["evidence"].choices = evidence_groups(consultation)
        if consultation is None:
            self.fields["evidence"].help_text = "Choose a consultation and save: its answers appear here."
        self.fields["point_id"].choices = point_options(event)
        if event is None:
            self.fields[
                "point_id"
            ].help_text = (
                "Choose a forum meeting and save: the points in its 'What parents said' appear here."
            )


class FeedbackItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        source = item.consultation or item.event
        draft = "" if item.live else " [draft]"
        return f"{item.summary} ({source.title if source else item.source_title}){draft}"


class DecisionForm(WagtailAdminModelForm):
    feedback_items = FeedbackItemChoiceField(
        label="What parents said (the 'You said' items)",
        queryset=FeedbackItem.objects.select_related("consultation", "event").order_by("-created_at", "-pk"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every item this decision answers.",
        error_messages={"required": "Tick at least one 'You said' item this decision answers."},
    )
    actions = ActionsField(help_text="Open a priority and tick the actions this decision serves, if any.")


class LogFilterForm(forms.Form):
    """The public log's filters. Values come from links and the form, so an unknown one is ignored."""

    district = forms.ChoiceField(label="District", required=False)
    theme = forms.ChoiceField(label="Topic", required=False)
    status = forms.ChoiceField(label="What happened", required=False)
    year = forms.ChoiceField(label="Year parents said it", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = filter_choices()
        self.districts = {d.slug: d for d in options["districts"]}
        self.themes = {t.slug: t for t in options["themes"]}
        self.fields["district"].choices = [("", "All districts")] + [
            (s, d.name) for s, d in self.districts.items()
        ]
        self.fields["theme"].choices = [("", "All topics")] + [(s, t.name) for s, t in self.themes.items()]
        self.fields["status"].choices = [("", "Anything")] + list(options["statuses"])
        self.fields["year"].choices = [("", "Any year")] + [(str(y), str(y)) for y in options["years"]]

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "district": self.districts.get(data.get("district") or ""),
            "theme": self.themes.get(data.get("theme") or ""),
            "status": data.get("status") or "",
            "year": int(data["year"]) if data.get("year") else None,
        }


# --- The action plan ----------------------------------------------------------------------------


RAG_HINTS = {
    RagStatus.RED: "Off track: it will not be done as planned. Say what is wrong and what is being done.",
    RagStatus.AMBER: "At risk: it may not be done as planned. Say what the risk is and what is being done.",
    RagStatus.GREEN: "On track: going to plan.",
    RagStatus.COMPLETE: "Done. No more reports are due. Only an officer can undo this, by deleting the report.",
}


class ProgressReportForm(CleanTextMixin, forms.Form):
    """A lead's progress report on one action. The rules (a reason for red and amber, no future date,
    complete is final) are the service's: the view copies its errors onto these fields."""

    status = forms.ChoiceField(
        label="Where does the action stand?",
        choices=RagStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose red, amber, green or complete"},
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required for red or amber: what is wrong and what is being done. This is published on "
        "the 'How we are doing' page, so do not name anyone.",
    )
    reported_on = forms.DateField(
        label="Date of the report",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example, 27 3 2026. Today unless you are recording an earlier report.",
        error_messages={
            "required": "Enter the date of the report",
            "invalid": "Enter the date as day, month and year, for example 27/3/2026",
        },
    )

    def status_options(self):
        """The radios with their hints, for the template."""
        return [(radio, RAG_HINTS[RagStatus(radio.data["value"])]) for radio in self["status"]]


class LeadUserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


def _may_report_filter():
    """Logins that may report progress (add_progressreport, from a role or given directly)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission = Permission.objects.filter(
        content_type__app_label="feedback_loop", codename="add_progressreport"
    ).first()
    if permission is None:
        return Q(pk__in=[])
    return Q(groups__permissions=permission) | Q(user_permissions=permission)


class PriorityForm(CleanTextMixin, WagtailAdminModelForm):
    """A priority's editor: its text is published, so it loses control characters and direction
    overrides."""


class ActionForm(CleanTextMixin, WagtailAdminModelForm):
    """An action's editor: "Who reports on it" lists only the logins that may report progress (the
    Action leads role gives that), as checkboxes, and keeps anyone already ticked. Its text is
    published, so it loses control characters and direction overrides."""

    lead_users = LeadUserChoiceField(
        label="Who reports on it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with an action lead login who report progress on this action. To add someone, "
        "create their login and put them in the 'Action leads' group first.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        chosen = list(self.instance.lead_users.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["lead_users"].queryset = (
            get_user_model()
            .objects.filter((_may_report_filter() & models.Q(is_active=True)) | models.Q(pk__in=chosen))
            .distinct()
            .order_by("email")
        )
        if "districts" in self.fields:
            self.fields["districts"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["districts"].choices
            )
