"""Wording for the answering pages that the browser shows, not the server."""

from django import template
from django.utils.html import format_html_join
from django.utils.translation import get_language, pgettext

register = template.Library()

# GOV.UK Frontend's character count writes "You have 12 characters remaining" itself, in English
# unless it is given its words. It picks the form by the page's language with the browser's plural
# rules (CLDR: Polish has one, few, many and other; Nepali and Urdu one and other), so every form is
# in the catalog; a language without one of them uses the "other" wording for it.
PLURAL_FORMS = ("one", "few", "many", "other")


def _forms(name: str, english: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (f"{name}.{form}", pgettext(f"character count, plural form '{form}'", english[form]))
        for form in PLURAL_FORMS
    ]


@register.simple_tag
def character_count_i18n():
    """data-i18n attributes for a govuk-character-count in the active language ("" in English)."""
    if (get_language() or "en").lower().startswith("en"):
        return ""
    remaining = "You have %{count} characters remaining"
    too_many = "You have %{count} characters too many"
    attributes = [
        *_forms(
            "characters-under-limit",
            {
                "one": "You have %{count} character remaining",
                "few": remaining,
                "many": remaining,
                "other": remaining,
            },
        ),
        ("characters-at-limit", pgettext("character count", "You have 0 characters remaining")),
        *_forms(
            "characters-over-limit",
            {
                "one": "You have %{count} character too many",
                "few": too_many,
                "many": too_many,
                "other": too_many,
            },
        ),
        (
            "textarea-description.other",
            pgettext("character count", "You can enter up to %{count} characters"),
        ),
    ]
    return format_html_join("", ' data-i18n.{}="{}"', attributes)
