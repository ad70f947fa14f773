"""'You said, we did': the rules for feedback items and decisions, telling parents what was decided,
the public log, the officers' dashboard figures and decision makers' briefings."""

import re
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from forums.models import Membership
from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, MessageStatus, Purpose
from messaging.models import Campaign, Message
from surveys import about_you
from surveys import services as surveys
from surveys.choices import QuestionType
from surveys.models import Answer, ConsultationPage, Response

from . import outcome_text
from .choices import AWAITING, AWAITING_LABEL, DecisionStatus, check_transition
from .models import Decision, FeedbackClosure, FeedbackItem, FeedbackQuote, OutcomeNotice, Theme

EVIDENCE_SEPARATOR = "|"
OWN_WORDS = "Answered in their own words"
TOLD_STATUSES = [MessageStatus.SENT, MessageStatus.DELIVERED]
ABOUT_YOU_IDS = {
    about_you.ROLE_ID,
    about_you.AGES_ID,
    about_you.DISTRICT_ID,
    about_you.DISABILITY_ID,
    about_you.ETHNICITY_ID,
}


def decision_due_after():
    return timedelta(weeks=settings.FEEDBACK_DECISION_DUE_WEEKS)


# --- 'You said' items -------------------------------------------------------------------------


def evidence_groups(consultation) -> list[tuple[str, list[tuple[str, str]]]]:
    """What an item can rest on, question by question: (question, [(key, answer label with the
    number of people who gave it)]). Each answer to a choice question, or having answered any other
    question in their own words."""
    if consultation is None:
        return []
    counts = {}
    for question_id, key, n in (
        Answer.objects.filter(consultation=consultation)
        .values_list("question_id", "choice_key")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        counts[(question_id, key)] = n
    groups = []
    for question in surveys.schema_for(consultation):
        if question.is_choice:
            labels = list(question.choices) + ([("other", "Other")] if question.other_option else [])
            options = [
                (f"{question.id}{EVIDENCE_SEPARATOR}{key}", f"{label} ({counts.get((question.id, key), 0)})")
                for key, label in labels
            ]
        elif question.type == QuestionType.FREE_TEXT:
            n = sum(v for (q, _), v in counts.items() if q == question.id)
            options = [(f"{question.id}{EVIDENCE_SEPARATOR}", f"{OWN_WORDS} ({n})")]
        else:
            continue
        groups.append((question.label, options))
    return groups


def evidence_options(consultation) -> list[tuple[str, str]]:
    """The same as `evidence_groups`, as one list, each label starting with its question."""
    return [
        (key, f"{question} – {label[:1].lower() if label.startswith(OWN_WORDS) else label[:1]}{label[1:]}")
        for question, options in evidence_groups(consultation)
        for key, label in options
    ]


def evidence_count(item):
    """The number of responses behind an item: people who gave any of the answers it rests on."""
    if not item.consultation_id or not item.evidence:
        return 0
    matches = Q()
    for entry in item.evidence:
        question_id, _, key = entry.partition(EVIDENCE_SEPARATOR)
        matches |= Q(question_id=question_id, choice_key=key) if key else Q(question_id=question_id)
    return (
        Answer.objects.filter(matches, consultation_id=item.consultation_id)
        .values("response_id")
        .distinct()
        .count()
    )


def point_options(event):
    """The points in a meeting's 'What parents said', as (block id, text)."""
    if event is None:
        return []
    return [(said.id, said.value["text"]) for said in event.parents_said]


def check_feedback_item(item):
    errors = {}
    if bool(item.consultation_id) == bool(item.event_id):
        errors["consultation"] = (
            "Choose the consultation or the forum meeting where parents said this (not both)."
        )
    elif item.consultation_id:
        valid = {key for key, _ in evidence_options(item.consultation)}
        if not item.evidence:
            errors["evidence"] = "Choose at least one answer this rests on."
        elif set(item.evidence) - valid:
            errors["evidence"] = "Choose answers from this consultation's questions."
        # Only items already published there may still be edited: nothing new may join a closed one.
        published_there = FeedbackItem.objects.filter(
            pk=item.pk, consultation_id=item.consultation_id, live=True
        ).exists()
        if (
            not published_there
            and FeedbackClosure.objects.filter(consultation_id=item.consultation_id).exists()
        ):
            errors["consultation"] = (
                "This consultation is closed with feedback. Reopen it from its results page to add more."
            )
    elif item.event_id and item.point_id not in {key for key, _ in point_options(item.event)}:
        errors["point_id"] = "Choose the point from the meeting's 'What parents said'."
    # The editor checks each quote in its own form; this catches quotes set in code (imports, scripts).
    problems = [quote_problem(quote.text) for quote in item.quotes.all() if quote.approved]
    if any(problems):
        errors[NON_FIELD_ERRORS] = next(p for p in problems if p)
    if errors:
        raise ValidationError(errors)


EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_PATTERN = re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")
POSTCODE_PATTERN = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def quote_problem(text):
    """Why a quote may not be approved for publishing, or None. A backstop: the officer's check is
    what protects people; this catches the details that are easiest to miss."""
    if EMAIL_PATTERN.search(text):
        return "Remove the email address before you approve this quote."
    if PHONE_PATTERN.search(text):
        return "Remove the phone number before you approve this quote."
    if POSTCODE_PATTERN.search(text):
        return "Remove the postcode before you approve this quote."
    return None


# --- 'We did' decisions -----------------------------------------------------------------------


def published_status(decision):
    """The status parents last saw: the published row's, or, once unpublished, the last they were told
    of (so unpublishing cannot be used to move a status backwards)."""
    if not decision.pk:
        return None
    live = Decision.objects.filter(pk=decision.pk, live=True).values_list("status", flat=True).first()
    if live is not None:
        return live
    return (
        OutcomeNotice.objects.filter(decision_id=decision.pk)
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )


def check_decision(decision):
    """The rules a decision's form must pass; status moves are checked against the published one."""
    check_transition(published_status(decision), decision.status)
    errors = {}
    if decision.status == DecisionStatus.NOT_AGREED and not decision.reason.strip():
        errors["reason"] = "Explain why this was not agreed: parents will read it."
    if decision.status != DecisionStatus.UNDER_CONSIDERATION and not decision.decided_on:
        errors["decided_on"] = "Enter the date it was decided."
    if decision.decided_on and decision.decided_on > timezone.localdate():
        errors["decided_on"] = "The date it was decided must be today or in the past."
    if decision.due_on and decision.decided_on and decision.due_on < decision.decided_on:
        errors["due_on"] = "The due date must be on or after the date it was decided."
    if errors:
        raise ValidationError(errors)


def set_status(decision, status, *, user=None, **fields):
    """Change a decision's status outside the editor (demo, scripts): same rules, then publish."""
    decision = Decision.objects.get(pk=decision.pk)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.status = status
    decision.full_clean(exclude=["feedback_items"])
    decision.save()
    decision.save_revision(user=user).publish(user=user)
    return decision


# --- Telling parents --------------------------------------------------------------------------


def decision_contact_ids(decision_id):
    """The messaging audience "decision:<id>": everyone who answered a consultation the decision
    responds to (when their answers are linked to them) and current members of a forum whose meeting
    raised it, for the decision's published items. The campaign then keeps only those who agreed to hear
    about outcomes."""
    from messaging.models import Contact

    items = FeedbackItem.objects.filter(decisions__pk=decision_id, live=True)
    respondents = Response.objects.filter(
        consultation_id__in=items.filter(consultation__isnull=False).values("consultation_id"),
        contact__isnull=False,
    ).values("contact_id")
    members = Membership.objects.filter(
        forum_id__in=items.filter(event__isnull=False).values("event__forum_id"), left_at__isnull=True
    ).values("contact_id")
    return Contact.objects.filter(Q(pk__in=respondents) | Q(pk__in=members)).values("pk")


def _live_items(decision):
    # An unsaved revision's items are in memory, a saved decision's in the database: both filter.
    return [item for item in decision.feedback_items.all() if item.live]


def source_title(decision):
    items = sorted(_live_items(decision), key=lambda item: item.pk)
    return items[0].source_title if items else "what parents said"


def decision_url(decision):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    page = log_page()
    if page is None:
        return base
    return base + page.decision_url(decision.pk)


def _placeholder_safe(text):
    # The campaign reads "((name))", "((title))" and "((link))" as placeholders; in someone's own
    # words they must stay words.
    while "((" in text:  # "(((" needs two goes
        text = text.replace("((", "( (")
    return text


def outcome_campaign_fields(decision) -> dict:
    """The outcome notice campaign for a decision at its current status: its name, wording and
    audience. Works on a revision's copy of the decision too (the confirmation screen)."""
    title = _placeholder_safe(source_title(decision))
    short_title = title if len(title) <= 40 else title[:39] + "…"
    status = DecisionStatus(decision.status)
    items = sorted(_live_items(decision), key=lambda item: item.pk)
    summary = _placeholder_safe(decision.summary)
    said = "\n".join(f"- {_placeholder_safe(item.summary)}" for item in items)
    why = f"\nWhy: {_placeholder_safe(decision.reason)}\n" if decision.reason else ""
    link = decision_url(decision)
    return {
        "name": f"Outcome: decision {decision.pk} {status.label.lower()} ({decision.summary[:60]})",
        "kind": CampaignKind.OUTCOME_NOTICE,
        "purpose": Purpose.OUTCOMES,
        "title": short_title,
        "link_url": link,
        "audience_source": f"decision:{decision.pk}",
        "one_channel_per_contact": True,
        # No name: the text must say what was decided in two segments whoever it goes to, and a
        # name's length is not known until it is sent.
        "sms_template": outcome_text.outcome_sms(
            said=items[0].summary if items else "",
            status=status,
            decision=decision.summary,
            why=decision.reason if status == DecisionStatus.NOT_AGREED else "",
            link=link,
        ).replace(link, "((link))"),
        "email_subject": f"You said, we did: {title}"[:150],
        "email_template": (
            f"Hello ((name)),\n\nYou took part in {title}. Here is what happened.\n\n"
            f"You said:\n{said}\n\n{outcome_text.VERDICTS[status]}: {summary}\n\n"
            f"Status: {status.label}{why}\nDecided by: {_placeholder_safe(decision.deciding_body)}\n\n"
            "Read more: ((link))"
        ),
    }


def will_notify(decision) -> bool:
    """Whether publishing this copy of a decision now tells people: it is the first time it reaches
    this status."""
    return not (
        decision.pk and OutcomeNotice.objects.filter(decision_id=decision.pk, status=decision.status).exists()
    )


class _Rollback(Exception):
    pass


@dataclass
class OutcomePreview:
    by_channel: dict  # Channel -> number of people told that way
    not_sent: int  # people behind it whose address is suppressed: recorded, never sent
    sms: str  # the text message exactly as sent
    email_subject: str
    email: str  # the email as sent, up to the per-person links at its foot

    @property
    def total(self):
        return sum(self.by_channel.values())


def outcome_preview(revision) -> OutcomePreview:
    """Who publishing a decision's revision would tell, by channel, and what they would get. The
    counts come from the campaign fan-out itself, run on the revision inside a transaction that is
    then rolled back, so they are the messages publishing creates (if nobody's details change)."""
    decision = revision.as_object()
    fields = outcome_campaign_fields(decision)
    rows = []
    try:
        with transaction.atomic():
            # The audience reads the decision's items from the database: put the revision's there.
            decision.save()
            campaign = Campaign.objects.create(**{**fields, "name": f"Preview: {fields['name']}"[:120]})
            messaging.create_campaign_messages(campaign)
            rows = list(
                Message.objects.filter(campaign=campaign)
                .values_list("channel", "status")
                .annotate(n=Count("pk"))
                .order_by()
            )
            raise _Rollback
    except _Rollback:
        pass
    by_channel = dict.fromkeys((Channel.SMS, Channel.EMAIL), 0)
    not_sent = 0
    for channel, status, n in rows:
        if status == MessageStatus.SUPPRESSED:
            not_sent += n
        else:
            by_channel[channel] += n
    values = {"name": "", "title": fields["title"], "link": fields["link_url"]}
    return OutcomePreview(
        by_channel=by_channel,
        not_sent=not_sent,
        sms=messaging.sms_body(messaging.render(fields["sms_template"], values)),
        email_subject=messaging.render(fields["email_subject"], values),
        email=messaging.render(fields["email_template"], {**values, "name": "[their name]"}),
    )


def notify_outcome(decision, user=None):
    """Tell the people behind a published decision, once per status it reaches, through a messaging
    campaign (consent to 'outcomes', suppression and pacing are applied there). Returns the notice,
    or None when they were already told about this status."""
    if not decision.live:
        return None  # a publish scheduled for later: parents are told when it goes live
    with transaction.atomic():
        notice, created = OutcomeNotice.objects.get_or_create(decision=decision, status=decision.status)
        if not created:
            return None
        fields = outcome_campaign_fields(decision)
        campaign = messaging.draft_campaign(**fields)
        notice.campaign = campaign
        notice.save(update_fields=["campaign"])
        messaging.start_campaign(campaign, user=user)
        log(
            decision,
            "feedback.outcome_notice",
            user=user,
            data={"status": decision.status, "campaign": campaign.pk},
        )
    return notice


@transaction.atomic
def publish_and_tell(revision, user) -> bool:
    """Publish a decision's revision after the officer has seen who it tells (the publish signal
    sends the outcome notice). False, publishing nothing, when the revision is no longer the
    decision's latest (edited since) or was already published: a replayed confirmation tells nobody
    twice."""
    decision = Decision.objects.select_for_update().get(pk=revision.object_id)
    if decision.latest_revision_id != revision.pk or decision.live_revision_id == revision.pk:
        return False
    revision.publish(user=user)
    return True


def untold_decisions():
    """Published decisions whose people were not told of their current status (starting the notice
    failed when they were published): the dashboard offers to try again."""
    return Decision.objects.filter(live=True).exclude(
        Exists(OutcomeNotice.objects.filter(decision=OuterRef("pk"), status=OuterRef("status")))
    )


def with_told_counts(decisions):
    """Annotate each decision with `told`: people sent (or delivered) any of its outcome notices."""
    return decisions.annotate(
        told=Count(
            "notices__campaign__messages__contact",
            filter=Q(notices__campaign__messages__status__in=TOLD_STATUSES),
            distinct=True,
        )
    )


# --- Closing a consultation with feedback -----------------------------------------------------


class FeedbackError(Exception):
    pass


def items_without_decision(queryset=None):
    queryset = FeedbackItem.objects.all() if queryset is None else queryset
    return queryset.filter(live=True).exclude(
        Exists(Decision.objects.filter(live=True, feedback_items=OuterRef("pk")))
    )


def closure_problem(consultation):
    if not consultation.has_closed:
        return "The consultation has not closed yet."
    items = FeedbackItem.objects.filter(consultation=consultation, live=True)
    if not items.exists():
        return "Add and publish the 'You said' items first: there are none yet."
    waiting = items_without_decision(items).count()
    if waiting:
        return f"{waiting} 'You said' item{'s' if waiting != 1 else ''} still need{'s' if waiting == 1 else ''} a published decision."
    return None


@transaction.atomic
def close_with_feedback(consultation, user=None):
    if FeedbackClosure.objects.filter(consultation=consultation).exists():
        raise FeedbackError("This consultation is already closed with feedback.")
    problem = closure_problem(consultation)
    if problem:
        raise FeedbackError(problem)
    closure = FeedbackClosure.objects.create(consultation=consultation, closed_by=user)
    log(consultation, "feedback.closed", user=user)
    return closure


@transaction.atomic
def reopen_feedback(consultation, user=None):
    deleted, _ = FeedbackClosure.objects.filter(consultation=consultation).delete()
    if deleted:
        log(consultation, "feedback.reopened", user=user)
    return bool(deleted)


# --- The officers' dashboard ------------------------------------------------------------------


def overdue_items(now=None):
    """Published items with no published decision N weeks after their consultation closed or their
    meeting was held, oldest first."""
    cutoff = (now or timezone.now()) - decision_due_after()
    return (
        items_without_decision()
        .filter(Q(consultation__closes_at__lt=cutoff) | Q(event__start__lt=cutoff))
        .select_related("consultation", "event", "theme")
        .order_by("consultation__closes_at", "event__start", "pk")
    )


def consultations_without_items(now=None):
    """Consultations closed N weeks ago that nobody has written up."""
    cutoff = (now or timezone.now()) - decision_due_after()
    return (
        ConsultationPage.objects.live()
        .filter(closes_at__lt=cutoff)
        .exclude(Exists(FeedbackItem.objects.filter(consultation=OuterRef("pk"))))
        .order_by("closes_at")
    )


@dataclass
class Metrics:
    items: int
    decided: int
    median_days_to_decision: float | None
    respondents: int
    respondents_told: int

    @property
    def decided_share(self):
        return round(100 * self.decided / self.items) if self.items else None

    @property
    def told_share(self):
        return round(100 * self.respondents_told / self.respondents) if self.respondents else None


def metrics():
    """Share of published items with a published decision; median days from a consultation closing
    to its decisions; share of linked respondents of decided consultations who were told."""
    items = FeedbackItem.objects.filter(live=True)
    total = items.count()
    decided = total - items_without_decision(items).count()
    pairs = (
        Decision.objects.filter(
            live=True, decided_on__isnull=False, feedback_items__consultation__isnull=False
        )
        .values_list("pk", "decided_on", "feedback_items__consultation__closes_at")
        .distinct()
    )
    days = [(decided_on - timezone.localtime(closes).date()).days for _, decided_on, closes in pairs]
    decided_consultations = FeedbackItem.objects.filter(
        live=True, decisions__live=True, consultation__isnull=False
    ).values("consultation_id")
    respondents = Response.objects.filter(
        consultation_id__in=decided_consultations, contact__isnull=False
    ).values("contact_id")
    told = (
        Message.objects.filter(
            campaign__outcome_notices__isnull=False, status__in=TOLD_STATUSES, contact_id__in=respondents
        )
        .values("contact_id")
        .distinct()
        .count()
    )
    return Metrics(
        items=total,
        decided=decided,
        median_days_to_decision=statistics.median(days) if days else None,
        respondents=respondents.distinct().count(),
        respondents_told=told,
    )


# --- The public log ---------------------------------------------------------------------------


def log_page():
    from .models import YouSaidWeDidPage

    page = YouSaidWeDidPage.objects.live().public().first()
    # A page outside every site's tree has no URL: there is then no public log to link to.
    return page if page is not None and page.url is not None else None


def public_items():
    """Published items whose consultation or meeting is published, with what the log shows of them."""
    live_decisions = Decision.objects.filter(live=True).order_by("-decided_on", "-pk")
    visible = Page.objects.live().public().values("pk")
    return (
        FeedbackItem.objects.filter(live=True)
        .filter(
            # Pages behind a password or sign-in are not public: neither is what parents said there.
            # (One queryset for both: `public()` reads the view restrictions once.)
            Q(consultation_id__in=visible) | Q(event_id__in=visible)
        )
        .select_related("theme", "consultation", "event", "event__forum")
        .prefetch_related(
            "districts",
            Prefetch("quotes", queryset=FeedbackQuote.objects.filter(approved=True)),
            Prefetch("decisions", queryset=live_decisions, to_attr="live_decisions"),
        )
    )


def filter_items(items, *, district=None, theme=None, status="", year=None):
    if district is not None:
        # County-wide items concern every district.
        items = items.filter(Q(districts=district) | Q(districts__isnull=True)).distinct()
    if theme is not None:
        items = items.filter(theme=theme)
    if status == AWAITING:
        items = items_without_decision(items)
    elif status in DecisionStatus.values:
        items = items.filter(
            Exists(Decision.objects.filter(live=True, status=status, feedback_items=OuterRef("pk")))
        )
    if year:
        items = items.filter(Q(consultation__closes_at__year=year) | Q(event__start__year=year))
    return items.order_by("-consultation__closes_at", "-event__start", "-pk")


def filter_choices():
    from parentvoice.models import District

    items = FeedbackItem.objects.filter(live=True)
    years = {
        d.year for d in items.filter(consultation__isnull=False).dates("consultation__closes_at", "year")
    }
    years |= {d.year for d in items.filter(event__isnull=False).dates("event__start", "year")}
    return {
        "districts": District.objects.all(),
        "themes": Theme.objects.filter(feedback_items__live=True).distinct(),
        "statuses": [*DecisionStatus.choices, (AWAITING, AWAITING_LABEL)],
        "years": sorted(years, reverse=True),
    }


def group_by_source(items):
    """Consecutive items from one consultation or one forum, as the log's sections."""
    groups = []
    for item in items:
        if item.consultation_id:
            key = ("consultation", item.consultation_id)
        else:
            key = ("forum", item.event.forum_id or item.event_id)
        if not groups or groups[-1]["key"] != key:
            groups.append(
                {"key": key, "title": item.source_title, "kind": key[0], "items": [], "source": item}
            )
        groups[-1]["items"].append(item)
    return groups


def consultation_entries(consultation):
    """A consultation's own published items and decisions, for its public pages."""
    return list(public_items().filter(consultation=consultation).order_by("pk"))


def point_outcomes(points):
    """{(event id, point id): [published decisions]} for points raised at forum meetings."""
    event_ids = {point["event"].pk for point in points}
    outcomes = {}
    for item in public_items().filter(event_id__in=event_ids):
        outcomes.setdefault((item.event_id, item.point_id), []).extend(item.live_decisions)
    return outcomes


def public_decisions(*, with_items=True):
    """Published decisions that answer at least one public item, each carrying only its public items
    (as `feedback_items`): what parents said on an unpublished or private page never shows beside a
    decision that also answers a public one. The one queryset behind the feeds, the decision page and
    the home page panel (`with_items=False`: the decisions alone)."""
    items = public_items()  # reads the page view restrictions once, for the filter and the prefetch
    decisions = Decision.objects.filter(live=True, feedback_items__in=items.values("pk")).distinct()
    return decisions.prefetch_related(Prefetch("feedback_items", queryset=items)) if with_items else decisions


def latest_decisions(limit=3, *, with_items=True):
    """The newest public decisions; `with_items=False` for lists that show only the decision."""
    return public_decisions(with_items=with_items).order_by("-last_published_at", "-pk")[:limit]


def public_decision(decision_id):
    return public_decisions().prefetch_related("updates").filter(pk=decision_id).first()


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
            Prefetch("quotes", queryset=FeedbackQuote.objects.filter(approved=True)),
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
    """The weekly email to decision makers and officers: items waiting for a decision, overdue first.
    None when nothing is waiting."""
    now = now or timezone.now()
    waiting = list(
        items_without_decision().select_related("consultation", "event").order_by("created_at", "pk")
    )
    if not waiting:
        return None
    overdue = {item.pk for item in overdue_items(now)}
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    decisions_url = base + reverse("wagtailsnippets_feedback_loop_decision:list")
    lines = [
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
        lines.append(source.title)
        if isinstance(source, ConsultationPage):
            lines.append(f"Briefing: {base}{reverse('feedback_briefing', args=[source.pk])}")
        for item in source_items:
            lines.append(f"- {item.summary}{' (OVERDUE)' if item.pk in overdue else ''}")
        lines.append("")
    lines.append(f"Record decisions: {decisions_url}")
    return "\n".join(lines)


def send_digest(now=None):
    """Email the digest to every active decision maker and consultation officer, once a week each
    (idempotent by ISO week, so a second run in the same week sends nothing). Returns how many."""
    from parentvoice.accounts.models import User
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS

    now = now or timezone.now()
    text = digest_text(now)
    if text is None:
        return 0
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
                subject="You said, we did: waiting for a decision",
                body=f"Hello {user.first_name or 'there'},\n\n{text}",
                key=keys[user.pk],
            )
    return len(set(keys.values()) - already)
