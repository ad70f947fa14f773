"""The feedback dashboard, decision makers' briefings and closing a consultation with feedback, in the
Wagtail admin. Thin: the services package does the work."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.models import Revision

from surveys.models import ConsultationPage

from . import services
from .models import Decision, FeedbackClosure, FeedbackItem


def can_see_dashboard(user):
    # Whoever records decisions (officers and decision makers) sees what is waiting for one.
    return user.has_perm("feedback_loop.view_decision")


def can_close(user):
    # Closing with feedback vouches for the 'You said' items: those who publish them.
    return user.has_perm("feedback_loop.publish_feedbackitem")


def _consultation(request, page_id, check=can_see_dashboard):
    if not check(request.user):
        raise PermissionDenied
    return get_object_or_404(ConsultationPage, pk=page_id)


def dashboard(request):
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    closures = set(FeedbackClosure.objects.values_list("consultation_id", flat=True))
    closed = (
        ConsultationPage.objects.live()
        .filter(pk__in=FeedbackItem.objects.values("consultation_id"))
        .order_by("-closes_at")[:20]
    )
    return TemplateResponse(
        request,
        "feedback_loop/admin/dashboard.html",
        {
            "untold": services.untold_decisions(),
            "can_tell": request.user.has_perm("feedback_loop.publish_decision"),
            "metrics": services.metrics(),
            "told": services.share_told(),
            "results_overdue": services.results_overdue(),
            "results_due_weeks": services.results_due_after().days // 7,
            "overdue": services.overdue_items(),
            "unwritten": services.consultations_without_items(),
            "due_weeks": settings.FEEDBACK_DECISION_DUE_WEEKS,
            "consultations": [
                {
                    "page": page,
                    "closed_with_feedback": page.pk in closures,
                    "problem": services.closure_problem(page),
                }
                for page in closed
            ],
            "can_close": can_close(request.user),
            **action_plan_context(request.user),
        },
    )


def action_plan_context(user, today=None) -> dict:
    """The dashboard's action plan sections: decisions past their due date, actions overdue for a
    progress report and the RAG counts across the plan (a fixed number of queries)."""
    today = today or timezone.localdate()
    context = {
        "overdue_decisions": services.overdue_decisions(today),
        "can_edit_decisions": user.has_perm("feedback_loop.change_decision"),
        "sees_action_plan": user.has_perm("feedback_loop.view_action"),
    }
    if context["sees_action_plan"]:
        context.update(
            {
                "actions_overdue": services.actions_overdue_for_report(today),
                "rag_counts": services.rag_counts(),
                "report_interval_months": settings.ACTION_REPORT_INTERVAL_MONTHS,
                "can_report_any": user.has_perm("feedback_loop.report_on_any_action"),
            }
        )
    return context


def _briefing_html(request, page, *, for_pdf):
    context = services.briefing(page)
    context.update(
        {
            "for_pdf": for_pdf,
            "pdf_url": reverse("feedback_briefing_pdf", args=[page.pk]),
            "dashboard_url": reverse("feedback_dashboard"),
            "can_close": can_close(request.user),
            "problem": services.closure_problem(page),
        }
    )
    return render_to_string("feedback_loop/briefing.html", context, request=request)


def briefing_view(request, page_id):
    page = _consultation(request, page_id)
    return HttpResponse(_briefing_html(request, page, for_pdf=False))


def briefing_pdf_view(request, page_id):
    page = _consultation(request, page_id)
    try:
        pdf = services.briefing_pdf(
            _briefing_html(request, page, for_pdf=True), request.build_absolute_uri("/")
        )
    except services.PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="briefing-{page.slug}.pdf"'
    return response


@require_POST
def close_view(request, page_id):
    page = _consultation(request, page_id, can_close)
    try:
        services.close_with_feedback(page, user=request.user)
    except services.FeedbackError as error:
        messages.error(request, f"'{page.title}' cannot be closed with feedback yet: {error}")
    else:
        messages.success(request, f"'{page.title}' is closed with feedback.")
    return redirect("feedback_dashboard")


@require_POST
def tell_view(request, decision_id):
    if not (can_see_dashboard(request.user) and request.user.has_perm("feedback_loop.publish_decision")):
        raise PermissionDenied
    decision = get_object_or_404(services.untold_decisions(), pk=decision_id)
    services.notify_outcome(decision, user=request.user)
    messages.success(request, "The people behind this decision are being told.")
    return redirect("feedback_dashboard")


@require_POST
def reopen_view(request, page_id):
    page = _consultation(request, page_id, can_close)
    if services.reopen_feedback(page, user=request.user):
        messages.success(request, f"'{page.title}' is open for more feedback items.")
    return redirect("feedback_dashboard")


def can_publish_decisions(user):
    return Decision.snippet_viewset.permission_policy.user_has_permission(user, "publish")


def confirm_publish_view(request, revision_id):
    """'This will tell N people': who publishing this version of a decision tells, by text and email,
    and exactly what they get; then "Publish and tell N people" or "Go back". The decision's Publish
    button leads here whenever publishing would tell anyone (see wagtail_hooks.confirm_before_telling)."""
    if not can_publish_decisions(request.user):
        raise PermissionDenied
    revision = get_object_or_404(
        Revision, pk=revision_id, base_content_type=ContentType.objects.get_for_model(Decision)
    )
    decision = get_object_or_404(Decision, pk=revision.object_id)
    edit_url = reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk])
    if request.method == "POST":
        if services.publish_and_tell(revision, request.user):
            messages.success(
                request, f"Decision '{decision}' is published. The people behind it are being told."
            )
            return redirect("wagtailsnippets_feedback_loop_decision:list")
        messages.warning(
            request,
            "Nothing was published: this version was already published, or the decision has been changed since.",
        )
        return redirect(edit_url)
    if decision.latest_revision_id != revision.pk or decision.live_revision_id == revision.pk:
        messages.warning(
            request, "This version was already published, or the decision has been changed since."
        )
        return redirect(edit_url)
    copy = revision.as_object()
    return TemplateResponse(
        request,
        "feedback_loop/admin/confirm_publish.html",
        {
            "decision": copy,
            "preview": services.outcome_preview(revision) if services.will_notify(copy) else None,
            "edit_url": edit_url,
            "go_live_at": copy.go_live_at if copy.go_live_at and copy.go_live_at > timezone.now() else None,
        },
    )
