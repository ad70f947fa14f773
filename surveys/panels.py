from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.admin.panels import HelpPanel, Panel


class SmsPreviewPanel(Panel):
    """Every question as it would be texted, flagging those longer than two texts."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            from .sms_dialogue import question_previews

            if not self.instance.questions:
                return mark_safe('<p class="help">Add questions to see them as text messages.</p>')
            return render_to_string(
                "surveys/admin/includes/sms_preview.html", {"previews": question_previews(self.instance)}
            )


class TranslationHelpPanel(HelpPanel):
    """Shown only when editing a translation: what it takes from the English page."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            page = self.instance
            return super().is_shown() and bool(getattr(page, "pk", None)) and page.is_translation
