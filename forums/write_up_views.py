"""The write-up of a forum meeting in the Wagtail admin: its checklist (attendance as counts, public
notes, minutes, what parents said), and the meetings still to write up. For those who may edit the
meeting's page (its forum's coordinators) and those who review every forum's write-ups; others are
refused (PermissionDenied, which Wagtail's admin turns into a redirect to the dashboard with a message).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from parentvoice.text import is_ascii_digits

from . import services
from .choices import AttendanceGroup
from .models import EventPage


class _CountField(forms.IntegerField):
    """A whole number typed with the digits 0 to 9 (Python would read "٣" as 3, and a 5,000-digit
    number is refused before it is read)."""

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text:
            if not is_ascii_digits(text.removeprefix("-")):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if len(text) > 6:
                code = "min_value" if text.startswith("-") else "max_value"
                raise forms.ValidationError(self.error_messages[code], code=code)
        return super().to_python(text)


class AttendanceForm(forms.Form):
    """One number per group: how many came. A box left empty is 0."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, label in AttendanceGroup.choices:
            self.fields[group] = _CountField(
                label=label,
                required=False,
                min_value=0,
                max_value=services.ATTENDANCE_MAX,
                error_messages={
                    "invalid": f"Enter the number of {label.lower()} as a whole number, like 3.",
                    "min_value": f"The number of {label.lower()} must be 0 or more.",
                    "max_value": f"The number of {label.lower()} must be {services.ATTENDANCE_MAX} or fewer.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "pv-count"}),
            )

    def counts(self) -> dict[str, int]:
        return {group: self.cleaned_data.get(group) or 0 for group in AttendanceGroup.values}


def _meeting(request, event_id) -> EventPage:
    event = get_object_or_404(EventPage.objects.select_related("forum", "minutes"), pk=event_id)
    if not services.may_write_up(request.user, event):
        raise PermissionDenied
    if not event.needs_write_up:
        raise Http404("Only forum meetings are written up.")
    return event


def write_up(request, event_id):
    event = _meeting(request, event_id)
    ended = event.end <= timezone.now()
    counts = dict(event.attendance.values_list("group", "count"))
    form = AttendanceForm(initial=counts)
    write_up_errors = []
    if request.method == "POST":
        if not ended:
            messages.error(request, "You can write this meeting up once it has ended.")
            return redirect("forums_write_up", event_id=event.pk)
        action = request.POST.get("action")
        if action == "attendance":
            form = AttendanceForm(request.POST)
            if form.is_valid():
                services.record_attendance(event, form.counts(), user=request.user)
                messages.success(request, "Attendance saved.")
                return redirect("forums_write_up", event_id=event.pk)
        elif action == "written_up":
            try:
                services.mark_written_up(event, user=request.user)
            except services.WriteUpIncomplete as error:
                write_up_errors = error.missing
            else:
                messages.success(request, "The meeting is marked as written up.")
                return redirect("forums_write_ups")
        else:
            raise PermissionDenied
    checklist = services.write_up_checklist(event)
    response = TemplateResponse(
        request,
        "forums/admin/write_up.html",
        {
            "event": event,
            "ended": ended,
            "checklist": checklist,
            "form": form,
            "write_up_errors": write_up_errors,
            "due_on": services.write_up_due_on(event),
            "overdue": services.write_up_due_on(event) < timezone.localdate(),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
            "has_errors": bool(form.errors or write_up_errors),
        },
    )
    if form.errors or write_up_errors:
        response.status_code = 400
    return response


def write_ups(request):
    if not services.sees_write_ups(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "forums/admin/write_ups.html",
        {"meetings": services.meetings_awaiting_write_up(user=request.user)},
    )
