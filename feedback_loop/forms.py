"""Editor forms for 'You said' items and decisions: the answers or points an item can rest on are
listed for the consultation or meeting chosen, so an officer picks them rather than typing ids."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from forums.models import EventPage
from surveys.models import ConsultationPage

from .models import FeedbackItem
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


class FeedbackItemForm(WagtailAdminModelForm):
    evidence = forms.MultipleChoiceField(
        label="Answers it rests on",
        required=False,
        widget=GroupedCheckboxSelectMultiple,
        help_text="The number in brackets is how many people gave that answer.",
    )
    point_id = forms.ChoiceField(label="Point raised", required=False, widget=forms.RadioSelect)

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
        return f"{item.summary} ({source.title if source else 'no source'}){draft}"


class DecisionForm(WagtailAdminModelForm):
    feedback_items = FeedbackItemChoiceField(
        label="What parents said (the 'You said' items)",
        queryset=FeedbackItem.objects.select_related("consultation", "event").order_by("-created_at", "-pk"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every item this decision answers.",
        error_messages={"required": "Tick at least one 'You said' item this decision answers."},
    )


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
