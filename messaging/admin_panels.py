from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.panels import Panel

from . import services
from .sms import segment_info


def sms_length_summary(template, values=None, *, language=None):
    """The SMS as a person would get it (in `language`: None for English), and how many segments it
    costs. `values` should come from services.preview_values(campaign), whose link is as long as the
    real ones."""
    values = values or {"name": "Alex", "title": "the consultation", "link": "https://…"}
    text = services.sms_body(services.render(template, values), language)
    return text, segment_info(text)


class SmsLengthPanel(Panel):
    """Shows the rendered text message's length and segment count, warning above one segment."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            template = getattr(self.instance, "sms_template", "") or ""
            if not template.strip():
                return mark_safe('<p class="help">Write the text message to see how long it is.</p>')
            values = services.preview_values(self.instance) if self.instance.pk else None
            text, info = sms_length_summary(template, values)
            warning = ""
            if info.segments > 1:
                warning = (
                    f" Warning: this is {info.segments} texts' worth for each person, which costs more and takes "
                    "longer to send. Try to keep it to one (160 characters, or 70 with emoji or accented letters)."
                )
            if info.non_gsm_characters:
                warning += f" These characters make it a Unicode text: {' '.join(info.non_gsm_characters)}"
            return format_html(
                '<div class="help-block {}"><p><strong>{} characters, {} segment(s) ({}).</strong>{}</p>'
                "<p>Example: {}</p></div>",
                "help-warning" if info.segments > 1 else "help-info",
                info.characters,
                info.segments,
                info.encoding,
                warning,
                text,
            )


class CampaignLanguagesPanel(Panel):
    """The languages the campaign's wording has been translated into, with a link to change them."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            from django.urls import reverse

            from parentvoice.languages import language_name

            if not self.instance.pk:
                return mark_safe(
                    '<p class="help">Save the campaign first, then add its wording in other languages.</p>'
                )
            names = [language_name(t.language) for t in self.instance.translations.all()]
            said = (
                f"Also written in: {', '.join(names)}."
                if names
                else "Only in English: everyone gets the English wording."
            )
            return format_html(
                '<div class="help-block help-info"><p>{} People whose language has a version get it; '
                'everyone else gets the English.</p><p><a href="{}">Wording in other languages</a></p></div>',
                said,
                reverse("messaging_campaign_languages", args=[self.instance.pk]),
            )
