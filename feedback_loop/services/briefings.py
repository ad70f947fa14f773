"""What decision makers get: a consultation's briefing (as a page or PDF) and the weekly digest of items
waiting for a decision."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import Channel
from messaging.models import Message
from parentvoice.dates import govuk_date
from surveys import about_you
from surveys.models import ConsultationPage, Response

from ..choices import DecisionStatus
from ..models import PARENTS_TOLD_US, Decision, FeedbackClosure, FeedbackItem
from .dashboard import overdue_items, results_due_after, results_overdue
from .items import items_without_decision, publishable_quotes

ABOUT_YOU_IDS = {
    about_you.ROLE_ID,
    about_you.AGES_ID,
    about_you.DISTRICT_ID,
    about_you.DISABILITY_ID,
    about_you.ETHNICITY_ID,
}


# --- Briefings --------------------------------------------------------------------------------


def briefing(consultation):
    """What decision makers need about one consultation: who was reached, headline results (small
    numbers hidden, no free text: briefings get circulated), what parents said and what is decided."""
    from messaging.choices import ParentRole
    from surveys import results
    from surveys.small_numbers import hidden_in_line, label, shown_line, shown_total

    counts = results.response_counts(consultation)
    roles = dict(
        Response.objects.filter(consultation=consultation)
        .values_list("parent_role")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Each table below is one list of counts adding up to the number of responses: the small-numbers
    # rule hides a count under 5 and whatever would let someone subtract their way to it.
    role_labels = [*(name for _, name in ParentRole.choices), "Not known"]
    role_counts = [*(roles.get(value, 0) for value, _ in ParentRole.choices), roles.get("", 0)]
    role_rows = list(zip(role_labels, shown_line(role_counts), strict=True))
    reach_rows = results.reach(consultation)
    reach_hidden = hidden_in_line(row["responses"] for row in reach_rows)
    reach = [
        # A rate beside a hidden count would give the count away.
        {
            **row,
            "responses": label(row["responses"], i in reach_hidden),
            "rate": None if i in reach_hidden else row["rate"],
        }
        for i, row in enumerate(reach_rows)
    ]
    # Each invited contact is counted in exactly one district row (or "Not known").
    invited = sum(row["invited"] for row in reach_rows)
    headline = results.public_results(consultation)
    # The 'About you' answers are already in the reach tables.
    headline["public_questions"] = [
        q for q in headline["public_questions"] if q["question"].id not in ABOUT_YOU_IDS
    ]
    items = list(
        FeedbackItem.objects.filter(consultation=consultation, live=True)
        .select_related("theme")
        .prefetch_related(
            "districts",
            Prefetch("quotes", queryset=publishable_quotes()),
            Prefetch("decisions", queryset=Decision.objects.filter(live=True), to_attr="live_decisions"),
        )
        .order_by("pk")
    )
    return {
        "consultation": consultation,
        "total": shown_total(counts["total"]),
        "by_channel": list(
            zip(
                [channel for channel, _ in counts["by_channel"]],
                shown_line(n for _, n in counts["by_channel"]),
                strict=True,
            )
        ),
        "invited": invited,
        "reach": reach,
        "roles": role_rows,
        "public_results": headline,
        "items": items,
        "awaiting": [item for item in items if not item.live_decisions],
        "under_consideration": [
            d for item in items for d in item.live_decisions if d.status == DecisionStatus.UNDER_CONSIDERATION
        ],
        "closed_with_feedback": FeedbackClosure.objects.filter(consultation=consultation).first(),
        "generated_at": timezone.now(),
    }


class PdfUnavailable(Exception):
    pass


def briefing_pdf(html, base_url):
    """The briefing as PDF bytes. WeasyPrint is the optional `pdf` extra and needs Pango."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            "PDF briefings need WeasyPrint: pip install -e '.[pdf]', and Pango (apt install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)."
        ) from error
    # Tagged (PDF/UA-1), so a screen reader gets headings, tables and reading order, with the title
    # and language taken from the HTML's <title> and lang.
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


# --- The decision makers' digest --------------------------------------------------------------


def digest_text(now=None):
    """The weekly email to decision makers and officers: items waiting for a decision, overdue first,
    then consultations closed RESULTS_DUE_WEEKS ago or more whose results are not published. None when
    there is nothing in either list."""
    now = now or timezone.now()
    waiting = list(
        items_without_decision().select_related("consultation", "event").order_by("created_at", "pk")
    )
    no_results = list(results_overdue(now))
    if not waiting and not no_results:
        return None
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = []
    if waiting:
        overdue = {item.pk for item in overdue_items(now)}
        lines += [
            f"{len(waiting)} thing{'s' if len(waiting) != 1 else ''} parents said "
            f"{'are' if len(waiting) != 1 else 'is'} waiting for a decision"
            + (f", {len(overdue)} of them overdue" if overdue else "")
            + ".",
            "",
        ]
        by_source = {}
        for item in sorted(waiting, key=lambda i: i.pk not in overdue):
            source = item.consultation or item.event
            by_source.setdefault(source, []).append(item)
        for source, source_items in by_source.items():
            lines.append(source.title if source is not None else PARENTS_TOLD_US)
            if isinstance(source, ConsultationPage):
                lines.append(f"Briefing: {base}{reverse('feedback_briefing', args=[source.pk])}")
            for item in source_items:
                lines.append(f"- {item.summary}{' (OVERDUE)' if item.pk in overdue else ''}")
            lines.append("")
        lines += [f"Record decisions: {base}{reverse('wagtailsnippets_feedback_loop_decision:list')}", ""]
    if no_results:
        weeks = results_due_after().days // 7
        lines += [
            f"Results not published {weeks} weeks or more after closing: the people who took part are "
            "told when they are.",
            "",
        ]
        for page in no_results:
            lines.append(f"{page.title} (closed {govuk_date(page.closes_at)})")
            lines.append(
                f"Edit the page to publish its results: {base}{reverse('wagtailadmin_pages:edit', args=[page.pk])}"
            )
            lines.append("")
    return "\n".join(lines).rstrip("\n")


def send_digest(now=None):
    """Email the digest to every active decision maker and consultation officer, once a week each
    (idempotent by ISO week, so a second run in the same week sends nothing). Returns how many."""
    from parentvoice.accounts.models import User
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS

    now = now or timezone.now()
    text = digest_text(now)
    if text is None:
        return 0
    subject = (
        "You said, we did: waiting for a decision"
        if items_without_decision().exists()
        else "You said, we did: results not published"
    )
    year, week, _ = timezone.localtime(now).isocalendar()
    recipients = list(
        User.objects.filter(is_active=True, groups__name__in=[DECISION_MAKERS, CONSULTATION_OFFICERS])
        .exclude(email="")
        .distinct()
    )
    keys = {user.pk: f"decision-digest:{year}-{week}:{user.pk}" for user in recipients}
    already = set(
        Message.objects.filter(idempotency_key__in=keys.values()).values_list("idempotency_key", flat=True)
    )
    with transaction.atomic():
        for user in recipients:
            messaging.send_service_message(
                channel=Channel.EMAIL,
                recipient=user.email,
                subject=subject,
                body=f"Hello {user.first_name or 'there'},\n\n{text}",
                key=keys[user.pk],
            )
    return len(set(keys.values()) - already)
