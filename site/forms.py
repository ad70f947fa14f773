from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every Django form (ours and allauth's) as GOV.UK Frontend markup: an error summary
    linking to each field, then one form group per field with its label, hint and error message."""

    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"
