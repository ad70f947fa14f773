"""Finding, downloading and erasing everything held about a person, in the Wagtail admin (officers with
privacy.handle_data_requests). Thin: parentvoice.privacy.services.subjects does the work.

The address looked for travels only in POST bodies (the search form, then hidden fields on the results
and confirmation pages): never in a URL, the session or a log. What is kept afterwards is the
DataRequest (reference, dates, who, counts)."""

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import FindPersonForm
from .models import DataRequest
from .services import subjects

ROWS_SHOWN = 25  # per kind on the results page; the download has them all
# A case's words (and why it was flagged) are for safeguarding leads: others finding a person's data
# see HELD_TEXT in those cells on screen.
CASE_WORDS = {"safeguarding.cases": {"text", "flag_reason"}}


def can_handle(user) -> bool:
    return user.has_perm("privacy.handle_data_requests")


def _check(request):
    if not can_handle(request.user):
        raise PermissionDenied


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _kinds(found: dict[str, list[dict]], user) -> list[dict]:
    """Each registered kind with its count and a readable table of its first rows."""
    from ..safeguarding.services import HELD_TEXT

    labels = subjects.labels()
    lead = user.has_perm("safeguarding.view_case")
    kinds = []
    for name, records in found.items():
        columns = list(dict.fromkeys(key for record in records[:ROWS_SHOWN] for key in record))
        hidden = set() if lead else CASE_WORDS.get(name, set())
        kinds.append(
            {
                "name": name,
                "label": labels.get(name, name),
                "count": len(records),
                "columns": columns,
                "rows": [
                    [HELD_TEXT if c in hidden and record.get(c) else _cell(record.get(c)) for c in columns]
                    for record in records[:ROWS_SHOWN]
                ],
                "more": max(0, len(records) - ROWS_SHOWN),
            }
        )
    return kinds


def _page(request, template, context, status=200):
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "no-store"  # the results hold a person's data
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def find_view(request):
    """GET: the search form. POST: the results (what is held, the due date, download and erase)."""
    _check(request)
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    if not form.is_bound or not form.is_valid():
        return _page(request, "privacy/admin/find.html", {"form": form}, status=400 if form.is_bound else 200)
    found = subjects.find_everything(form.cleaned_data["subject"])
    kinds = _kinds(found, request.user)
    return _page(
        request,
        "privacy/admin/results.html",
        {
            "form": form,
            "kinds": kinds,
            "total": sum(kind["count"] for kind in kinds),
            "due_on": subjects.due_on(form.cleaned_data["received_on"]),
        },
    )


def _bound_form(request):
    form = FindPersonForm(request.POST)
    if not form.is_valid():
        return None, _page(request, "privacy/admin/find.html", {"form": form}, status=400)
    return form, None


@require_POST
def download_view(request):
    _check(request)
    form, problem = _bound_form(request)
    if problem:
        return problem
    data, data_request = subjects.export_zip(
        form.cleaned_data["subject"], request.user, form.cleaned_data["received_on"]
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{data_request.reference}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def erase_view(request):
    """First POST: the confirmation page (what goes, what stays). POST with confirm=yes: erase."""
    _check(request)
    form, problem = _bound_form(request)
    if problem:
        return problem
    subject = form.cleaned_data["subject"]
    if request.POST.get("confirm") != "yes":
        kinds = [kind for kind in _kinds(subjects.find_everything(subject), request.user) if kind["count"]]
        return _page(
            request,
            "privacy/admin/erase_confirm.html",
            {"form": form, "kinds": kinds, "total": sum(kind["count"] for kind in kinds)},
        )
    data_request = subjects.erase_subject(subject, request.user, form.cleaned_data["received_on"])
    return redirect("privacy_request", request_id=data_request.pk)


def request_view(request, request_id):
    """One past request: its reference, what kind, when, by whom and the counts (no address)."""
    _check(request)
    data_request = get_object_or_404(DataRequest.objects.select_related("completed_by"), pk=request_id)
    labels = subjects.labels()
    counts = [
        {"label": labels.get(name, name), "count": count}
        for name, count in data_request.record_counts.items()
        if count
    ]
    return TemplateResponse(
        request,
        "privacy/admin/request.html",
        {
            "data_request": data_request,
            "counts": counts,
            "total": subjects.counts_total(data_request.record_counts),
        },
    )


def requests_view(request):
    """The past subject access and erasure requests: reference, kind, when, by whom, counts."""
    _check(request)
    data_requests = DataRequest.objects.select_related("completed_by")[:200]
    return TemplateResponse(
        request,
        "privacy/admin/requests.html",
        {
            "data_requests": [
                {"request": item, "total": subjects.counts_total(item.record_counts)}
                for item in data_requests
            ]
        },
    )
