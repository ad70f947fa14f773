"""The safeguarding queue, a case, and flagging by hand, in the Wagtail admin. Thin: the workflow and
services modules do the work. Only safeguarding leads (safeguarding.view_case) see cases; recording
anything needs safeguarding.change_case; flagging needs safeguarding.add_case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services, workflow
from .choices import CaseStatus
from .forms import ActionForm, CloseForm, FlagForm, ReopenForm
from .models import Case
from .registry import get_source

TABS = (("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed"))


def can_view(user) -> bool:
    return user.has_perm("safeguarding.view_case")


def can_change(user) -> bool:
    return user.has_perm("safeguarding.change_case")


def queue(request):
    if not can_view(request.user):
        raise PermissionDenied
    now = timezone.now()
    tab = request.GET.get("show", "open")
    if tab not in dict(TABS):
        tab = "open"
    cases = Case.objects.select_related("flagged_by_user").defer("text", "flag_reason")
    if tab == "closed":
        cases = cases.filter(status=CaseStatus.CLOSED).order_by("-closed_at", "-id")
    elif tab == "overdue":
        cases = cases.filter(workflow.overdue_filter(now)).order_by("due_at", "id")
    else:
        cases = (
            workflow.open_cases()
            .select_related("flagged_by_user")
            .defer("text", "flag_reason")
            .annotate(
                late=When_(
                    When(workflow.overdue_filter(now), then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("late", "due_at", "id")
        )
    rows = [{"case": case, "overdue": workflow.is_overdue(case, now)} for case in cases[:500]]
    return TemplateResponse(
        request,
        "safeguarding/admin/queue.html",
        {
            "rows": rows,
            "tab": tab,
            "tabs": [
                {"key": key, "label": label, "url": f"{reverse('safeguarding_queue')}?show={key}"}
                for key, label in TABS
            ],
            "counts": {
                "open": workflow.open_cases().count(),
                "overdue": Case.objects.filter(workflow.overdue_filter(now)).count(),
            },
        },
    )


def _case_context(request, case, **forms):
    source = get_source(case.source_kind)
    details = source.details(case.source_id) if source else None
    context = {
        "case": case,
        "page_title": f"Case {case.pk}",
        "actions": case.actions.select_related("by"),
        "details": details,
        "overdue": workflow.is_overdue(case),
        "is_open": case.status != CaseStatus.CLOSED,
        "can_change": can_change(request.user),
        "queue_url": reverse("safeguarding_queue"),
        "action_form": forms.get("action_form") or ActionForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
    }
    return context


def case_view(request, case_id):
    if not can_view(request.user):
        raise PermissionDenied
    case = get_object_or_404(Case.objects.select_related("flagged_by_user", "closed_by"), pk=case_id)
    if request.method == "POST":
        return _case_post(request, case)
    workflow.case_viewed(case, request.user)
    return TemplateResponse(request, "safeguarding/admin/case.html", _case_context(request, case))


def _case_post(request, case):
    if not can_change(request.user):
        raise PermissionDenied
    do = request.POST.get("do")
    forms = {}
    try:
        if do == "action":
            form = forms["action_form"] = ActionForm(request.POST)
            if form.is_valid():
                workflow.record_action(
                    case, form.cleaned_data["kind"], request.user, form.cleaned_data["note"]
                )
                messages.success(request, "Action recorded.")
                return redirect("safeguarding_case", case.pk)
        elif do == "close":
            form = forms["close_form"] = CloseForm(request.POST)
            if form.is_valid():
                workflow.close_case(
                    case, form.cleaned_data["outcome"], request.user, form.cleaned_data["note"]
                )
                messages.success(request, "Case closed.")
                return redirect("safeguarding_case", case.pk)
        elif do == "reopen":
            form = forms["reopen_form"] = ReopenForm(request.POST)
            if form.is_valid():
                workflow.reopen(case, request.user, form.cleaned_data["note"])
                messages.success(request, "Case reopened. The text is held again.")
                return redirect("safeguarding_case", case.pk)
        else:
            return redirect("safeguarding_case", case.pk)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("safeguarding_case", case.pk)
    # A form with errors: show the page again (still a view of the case, so logged).
    workflow.case_viewed(case, request.user)
    return TemplateResponse(
        request, "safeguarding/admin/case.html", _case_context(request, case, **forms), status=400
    )


@require_POST
def flag_view(request):
    if not request.user.has_perm("safeguarding.add_case"):
        raise PermissionDenied
    form = FlagForm(request.POST)
    if not form.is_valid():
        raise Http404("No such text")
    data = form.cleaned_data
    source = get_source(data["kind"])
    # A text this user cannot read is 'no such text', like one that does not exist: a 403 would tell
    # a coordinator which ids another forum's records have.
    if (
        source is None
        or not source.can_flag(request.user, data["source_id"])
        or source.load(data["source_id"]) is None
    ):
        raise Http404("No such text")
    try:
        services.flag_by_hand(data["kind"], data["source_id"], request.user, data["reason"].strip())
    except (PermissionError, ValueError) as error:
        raise Http404("No such text") from error
    messages.success(
        request, "Flagged for a safeguarding lead. The text is held until they have reviewed it."
    )
    next_url = data["next"]
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("wagtailadmin_home")
