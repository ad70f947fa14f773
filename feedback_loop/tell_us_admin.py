"""'Tell us' in the Wagtail admin: the triage list, one entry's page with its three triage actions, and
"Record something a parent told us". Thin: services.tell_us does the work. Officers need
feedback_loop.view_openfeedback to read, change_ to triage and add_ to record."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from parentvoice.forms import CleanTextMixin
from parentvoice.models import District

from .models import FeedbackItem, OpenFeedbackSource, OpenFeedbackStatus, Theme
from .services import tell_us
from .tell_us_forms import RecordOpenFeedbackForm

VIEW, CHANGE, ADD = (f"feedback_loop.{a}_openfeedback" for a in ("view", "change", "add"))
PER_PAGE = 50


def _check(user, perm) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *OpenFeedbackStatus.choices], required=False)
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("name"), required=False, empty_label="Any district"
    )
    source = forms.ChoiceField(choices=[("", "Any source"), *OpenFeedbackSource.choices], required=False)


class MakeItemForm(CleanTextMixin, forms.Form):
    summary = forms.CharField(
        label="You said",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What parents said, in plain words, with nothing that could identify anyone.",
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), empty_label="Choose a theme")


class AddToItemForm(forms.Form):
    item = forms.ModelChoiceField(
        label="'You said' item",
        queryset=FeedbackItem.objects.order_by("-created_at"),
        empty_label="Choose an item",
    )


class CloseForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label="Why no action?", max_length=300)


ACTIONS = {"make_item": MakeItemForm, "add_to_item": AddToItemForm, "close": CloseForm}


@never_cache
def triage_list(request):
    _check(request.user, VIEW)
    form = TriageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = tell_us.triage_list(
        status=filters.get("status", ""), district=filters.get("district"), source=filters.get("source", "")
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "feedback_loop/admin/tell_us_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_add": request.user.has_perm(ADD)},
    )


@never_cache
def entry_view(request, entry_id):
    _check(request.user, VIEW)
    entry = get_object_or_404(tell_us.triage_list(), pk=entry_id)
    can_change = request.user.has_perm(CHANGE)
    bound = {}
    if request.method == "POST":
        _check(request.user, CHANGE)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise PermissionDenied
        form = ACTIONS[action](request.POST, prefix=action)
        bound[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "make_item":
                    item = tell_us.make_item(
                        entry, user=request.user, summary=data["summary"], theme=data["theme"]
                    )
                    messages.success(request, "Draft 'You said' item made. Check it and publish it.")
                    return redirect("wagtailsnippets_feedback_loop_feedbackitem:edit", item.pk)
                if action == "add_to_item":
                    tell_us.add_to_item(entry, user=request.user, item=data["item"])
                else:
                    tell_us.close_entry(entry, user=request.user, reason=data["reason"])
            except tell_us.TriageError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{entry.reference} triaged.")
            return redirect("tell_us_entry", entry.pk)
    forms_ = {name: bound.get(name) or cls(prefix=name) for name, cls in ACTIONS.items()}
    return TemplateResponse(
        request,
        "feedback_loop/admin/tell_us_entry.html",
        {
            "entry": entry,
            "forms": forms_,
            "can_triage": can_change and entry.status == OpenFeedbackStatus.NEW and not entry.held,
        },
    )


@never_cache
def record(request):
    _check(request.user, ADD)
    form = RecordOpenFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hear_back = form.hear_back_addresses()
        entry = tell_us.record_told_by_officer(
            text=data["text"],
            source=data["source"],
            district=data["district"],
            user=request.user,
            hear_back=hear_back,
        )
        if hear_back:
            messages.success(
                request,
                f"Recorded as {entry.reference}. We have sent them a message to check the address is "
                "theirs: they will be told what happens once they confirm it.",
            )
        else:
            messages.success(request, f"Recorded as {entry.reference}.")
        return redirect("tell_us_list")
    return TemplateResponse(request, "feedback_loop/admin/tell_us_record.html", {"form": form})


@hooks.register("register_admin_urls")
def tell_us_admin_urls():
    return [
        path("tell-us/", triage_list, name="tell_us_list"),
        path("tell-us/record/", record, name="tell_us_record"),
        path("tell-us/<int:entry_id>/", entry_view, name="tell_us_entry"),
    ]


class TellUsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_menu_item")
def tell_us_menu_item():
    return TellUsMenuItem("Parents told us", reverse("tell_us_list"), icon_name="comment", order=251)
