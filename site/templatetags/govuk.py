"""Template helpers that map Django's bound fields onto GOV.UK Frontend components."""

import copy
import re

from django import template
from django.forms import widgets

register = template.Library()

CHOICE_LIST_KINDS = {"radios", "checkboxes"}
INPUT_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def widget_kind(bound_field):
    widget = bound_field.field.widget
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be checked first.
    if isinstance(widget, widgets.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, widgets.RadioSelect):
        return "radios"
    if isinstance(widget, widgets.CheckboxInput):
        return "checkbox"
    if isinstance(widget, widgets.Textarea):
        return "textarea"
    if isinstance(widget, widgets.Select):
        return "select"
    if isinstance(widget, widgets.PasswordInput):
        return "password"
    if isinstance(widget, widgets.ClearableFileInput | widgets.FileInput):
        return "file"
    return "input"


@register.filter
def error_anchor(bound_field):
    """Where an error summary link should land: the field itself, or a list's first option."""
    if widget_kind(bound_field) in CHOICE_LIST_KINDS:
        subwidgets = bound_field.subwidgets
        return subwidgets[0].id_for_label if subwidgets else bound_field.auto_id
    return bound_field.id_for_label


@register.simple_tag
def described_by(bound_field):
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(bound_field):
    kind = widget_kind(bound_field)
    attrs = {}
    existing = bound_field.field.widget.attrs.get("class", "")
    classes = [INPUT_CLASSES.get(kind, "govuk-input"), existing]
    if bound_field.errors and kind in {"input", "password", "textarea", "select", "file"}:
        classes.append(f"{INPUT_CLASSES[kind]}--error")
    attrs["class"] = " ".join(c for c in classes if c)
    describedby = described_by(bound_field)
    if describedby:
        attrs["aria-describedby"] = describedby
    widget = bound_field.field.widget
    if "placeholder" in widget.attrs:
        # GOV.UK: no placeholders (they vanish as you type and read as filled in); allauth sets them.
        widget = copy.copy(widget)
        widget.attrs = {k: v for k, v in widget.attrs.items() if k != "placeholder"}
    return bound_field.as_widget(widget=widget, attrs=attrs)


LINK_WITHOUT_CLASS = re.compile(r"<a (?![^>]*\bclass=)")


@register.filter(is_safe=True)
def govuk_links(html):
    """Hint text from other apps (allauth's "Forgot your password?") links in GOV.UK style. Safe
    in, safe out (is_safe): a hint that was not marked safe stays escaped."""
    return LINK_WITHOUT_CLASS.sub('<a class="govuk-link" ', str(html))


@register.filter(is_safe=True)
def squash(text):
    """One line, single spaces: for a <title> built from templates indented over several lines."""
    return " ".join(str(text).split())
