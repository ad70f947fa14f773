from django import forms

from . import services

MODES = [("", "Online or in person"), ("in_person", "In person"), ("online", "Online")]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


class WhatsOnFilterForm(forms.Form):
    district = forms.ChoiceField(label="District", required=False)
    start_date = forms.DateField(
        label="From", required=False, input_formats=DATE_FORMATS, help_text="For example, 27/3/2027",
        error_messages={"invalid": "Enter the date as day/month/year, like 27/3/2027"},
    )  # fmt: skip
    end_date = forms.DateField(
        label="To", required=False, input_formats=DATE_FORMATS, help_text="For example, 30/4/2027",
        error_messages={"invalid": "Enter the date as day/month/year, like 30/4/2027"},
    )  # fmt: skip
    mode = forms.ChoiceField(label="How", choices=MODES, required=False, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.slug: d for d in services.districts_with_fora()}
        self.fields["district"].choices = [("", "All districts")] + [
            (slug, d.name) for slug, d in self.districts.items()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The 'To' date must be the same as or after the 'From' date")
        return cleaned

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "district": self.districts.get(data.get("district") or ""),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "mode": data.get("mode") or "",
        }
