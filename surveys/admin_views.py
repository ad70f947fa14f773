"""Results, exports and paper entry for a consultation, in the Wagtail admin. Thin: results.py,
exports.py and paper.py do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from parentvoice.dates import govuk_date
from parentvoice.safeguarding.services import HELD_TEXT

from . import exports, invitations, results, safeguarding_sources, sms_dialogue
from .models import ConsultationPage
from .paper import PaperResponseForm
from .questions import OTHER_KEY


def can_see_results(user):
    return user.is_active and user.has_perm("surveys.view_results")


def can_see_responses(user):
    """Free text and exports may hold personal details: officers only."""
    return user.is_active and user.has_perm("surveys.view_response")


def _page(request, page_id, check):
    if not check(request.user):
        raise PermissionDenied
    return get_object_or_404(ConsultationPage, pk=page_id)


def _answers_page(request, page_id, check):
    """The page every language's answers are stored against: opening a translation's results, free
    text or download gives the English page's (one result set)."""
    return _page(request, page_id, check).source_page


def results_view(request, page_id):
    page = _answers_page(request, page_id, can_see_results)
    dimension = request.GET.get("by", "")
    question_results = results.question_results(page)
    tables = results.breakdowns(page, [r.question for r in question_results], dimension) if dimension else {}
    sections = [
        {
            "result": result,
            "chart_rows": results.chart_rows(result.choices, hide_small=False),
            "breakdown": tables.get(result.question.id),
        }
        for result in question_results
    ]
    timeline = results.responses_over_time(page)
    return TemplateResponse(
        request,
        "surveys/admin/results.html",
        {
            "page": page,
            "counts": results.response_counts(page),
            "sections": sections,
            "dimension": dimension,
            "dimensions": results.DIMENSIONS,
            "timeline_rows": [{"label": govuk_date(day), "value": n, "display": n} for day, n in timeline],
            "reach": results.reach(page),
            "can_see_responses": can_see_responses(request.user),
            "can_invite": invitations.can_invite(request.user, page),
        },
    )


def free_text_view(request, page_id, question_id):
    page = _answers_page(request, page_id, can_see_responses)
    question = next(
        (r.question for r in results.question_results(page) if r.question.id == question_id), None
    )
    if question is None:
        raise PermissionDenied
    search = request.GET.get("q", "").strip()[:100]
    answers = results.free_text_answers(page, question_id, search, request.GET.get("p", 1))
    return TemplateResponse(
        request,
        "surveys/admin/free_text.html",
        {
            "page": page,
            "question": question,
            "answers": answers,
            "search": search,
            "other_key": OTHER_KEY,
            "held_text": HELD_TEXT,
        },
    )


def export_csv(request, page_id):
    page = _answers_page(request, page_id, can_see_responses)
    response = StreamingHttpResponse(exports.csv_chunks(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(page, "csv")}"'
    return response


def export_xlsx(request, page_id):
    page = _answers_page(request, page_id, can_see_responses)
    return FileResponse(
        exports.xlsx_file(page),
        as_attachment=True,
        filename=exports.filename(page, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def can_enter_paper(user):
    return user.is_active and user.has_perm("surveys.add_response")


def paper_entry(request, page_id):
    page = _page(request, page_id, can_enter_paper)
    form = PaperResponseForm(request.POST or None, page=page)
    if request.method == "POST" and form.is_valid():
        _, asked = form.save(request.user)
        told = f" {asked.sentence(paper=True)}" if asked else ""
        messages.success(request, f"Paper response saved.{told} You can enter the next one.")
        return redirect("surveys_paper_entry", page_id=page.pk)
    return TemplateResponse(request, "surveys/admin/paper_entry.html", {"page": page, "form": form})


def sms_conversations_view(request, page_id):
    page = _page(request, page_id, can_see_responses)
    conversations = Paginator(sms_dialogue.conversations(page), 50).get_page(request.GET.get("p"))
    rows = [
        {
            "conversation": c,
            "status": sms_dialogue.display_status(c, page),
            "answered": len(c.answers or {}),
        }
        for c in conversations
    ]
    return TemplateResponse(
        request,
        "surveys/admin/sms_conversations.html",
        {
            "page": page,
            "conversations": conversations,
            "rows": rows,
            "previews": sms_dialogue.question_previews(page),
        },
    )


def sms_conversation_view(request, page_id, conversation_id):
    page = _page(request, page_id, can_see_responses)
    conversation = sms_dialogue.conversation_for_officers(page, conversation_id)
    if conversation is None:
        raise Http404("No such conversation")
    return TemplateResponse(
        request,
        "surveys/admin/sms_conversation.html",
        {
            "page": page,
            "conversation": conversation,
            "status": sms_dialogue.display_status(conversation, page),
            "transcript": sms_dialogue.transcript(conversation),
            "held_inbound_ids": safeguarding_sources.held_inbound_ids(conversation),
            "held_text": HELD_TEXT,
        },
    )


@require_http_methods(["GET", "POST"])
def invite_parents(request, page_id):
    """GET explains what happens; POST (from here or the results page) makes or reuses the draft
    invitation campaign and opens it for the officer to choose the audience and check."""
    if not request.user.has_perm("messaging.add_campaign"):
        raise PermissionDenied
    page = get_object_or_404(ConsultationPage, pk=page_id)
    if not invitations.can_invite(request.user, page):
        raise PermissionDenied
    if request.method == "POST":
        campaign, created = invitations.invite_parents(page, request.user)
        if created:
            messages.success(
                request,
                f"'{campaign}' is ready as a draft. Choose who to send it to, check the wording, then use "
                "'Check and send'.",
            )
        else:
            messages.info(request, f"This consultation already has a draft invitation: '{campaign}'.")
        return redirect(reverse("wagtailsnippets_messaging_campaign:edit", args=[campaign.pk]))
    return TemplateResponse(
        request,
        "surveys/admin/invite_parents.html",
        {
            "page": page,
            "campaigns": invitations.invitation_campaigns(page),
            "by_text": invitations.answerable_by_text(page),
        },
    )
