"""The officers' dashboard: items overdue a decision, consultations nobody has written up or whose
results are not out, the headline figures and how many who took part were told."""

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from forums.models import Booking
from forums.services import event_topic
from messaging import services as messaging
from messaging.choices import Channel, FollowRoute, Purpose
from messaging.models import Contact, FollowRequest, Message
from surveys.choices import ResponseChannel, ResponseStatus
from surveys.follow_up import consultation_topic
from surveys.models import ConsultationPage, Response
from surveys.translations import english_pages

from ..models import Decision, FeedbackClosure, FeedbackItem
from .items import items_without_decision
from .outcomes import TOLD_STATUSES


def decision_due_after():
    return timedelta(weeks=settings.FEEDBACK_DECISION_DUE_WEEKS)


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
        english_pages(ConsultationPage.objects.live())
        .filter(closes_at__lt=cutoff)
        .exclude(Exists(FeedbackItem.objects.filter(consultation=OuterRef("pk"))))
        .order_by("closes_at")
    )


def results_due_after() -> timedelta:
    return timedelta(weeks=settings.RESULTS_DUE_WEEKS)


def results_overdue(now=None):
    """Live consultations closed RESULTS_DUE_WEEKS (default 4) or more ago whose results are not
    published, oldest first: the dashboard and the weekly digest remind officers."""
    cutoff = (now or timezone.now()) - results_due_after()
    return (
        english_pages(ConsultationPage.objects.live())
        .filter(closes_at__lte=cutoff, results_published=False)
        .order_by("closes_at", "pk")
    )


@dataclass
class Metrics:
    items: int
    decided: int
    median_days_to_decision: float | None

    @property
    def decided_share(self):
        return round(100 * self.decided / self.items) if self.items else None


def metrics():
    """Share of published items with a published decision; median days from a consultation closing
    to its decisions. (Who was told is `share_told`.)"""
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
    return Metrics(
        items=total,
        decided=decided,
        median_days_to_decision=statistics.median(days) if days else None,
    )


# --- Share told: over every response, per consultation and channel ------------------------------

BOOKING = FollowRoute.BOOKING


@dataclass
class ToldRow:
    channel: str  # a ResponseChannel value, or "booking" for a meeting's bookings
    label: str
    responses: int = 0  # complete responses (for a meeting: confirmed bookings)
    asked: int = 0  # people who asked to be told (counted once each)
    told: int = 0  # of those, sent or delivered an outcome, update or results message

    @property
    def not_yet_told(self) -> int:
        return max(self.asked - self.told, 0)

    @property
    def did_not_ask(self) -> int:
        # Followers whose response is not linked (anonymous) may outnumber a channel's linked
        # responses only through a mistake in the data; never show a negative number.
        return max(self.responses - self.asked, 0)


@dataclass
class SourceTold:
    title: str
    kind: str  # "consultation" or "meeting"
    pk: int
    rows: list = field(default_factory=list)

    @property
    def total(self) -> ToldRow:
        total = ToldRow(channel="", label="All")
        for row in self.rows:
            total.responses += row.responses
            total.asked += row.asked
            total.told += row.told
        return total


def _hearing(contact_ids) -> set:
    """Of these contacts (a `.values("contact_id")` queryset, so no id list goes over the wire), those
    whose general consent to outcomes on a channel they have an address for is current: they hear
    about whatever they took part in without asking again."""
    return set(
        Contact.objects.filter(pk__in=contact_ids)
        .annotate(
            sms_ok=messaging.latest_consent(Channel.SMS, Purpose.OUTCOMES),
            email_ok=messaging.latest_consent(Channel.EMAIL, Purpose.OUTCOMES),
        )
        .filter(Q(sms_ok=True, mobile__isnull=False) | Q(email_ok=True, email__isnull=False))
        .values_list("pk", flat=True)
    )


def _told(lookup: str, ids) -> dict:
    """{source id: contact ids sent or delivered a message of a campaign reached through `lookup`}."""
    told = defaultdict(set)
    rows = (
        Message.objects.filter(status__in=TOLD_STATUSES, contact_id__isnull=False, **{f"{lookup}__in": ids})
        .values_list(lookup, "contact_id")
        .distinct()
    )
    for source_id, contact_id in rows:
        told[source_id].add(contact_id)
    return told


def share_told(only_consultations=None) -> list[SourceTold]:
    """Who took part and was told, over ALL responses (not only those linked to a contact): for each
    consultation with a published decision or published results, and each meeting with a published
    decision, per channel, the responses (bookings), the people who asked to be told (a follow
    request on its topic, or a linked respondent whose general consent to outcomes means they hear),
    how many of those were sent an outcome, update or results message, and how many did not ask.
    Counts only, no names. A fixed number of queries however many consultations there are.

    A consultation whose figures were frozen (`freeze_told_figures`, before retention removed its
    responses' links to people) shows the frozen figures. `only_consultations` (ids) limits the
    result to those consultations and no meetings."""
    decided = FeedbackItem.objects.filter(live=True, decisions__live=True)
    consultations = english_pages(ConsultationPage.objects.live()).filter(
        Q(results_published=True)
        | Q(pk__in=decided.filter(consultation__isnull=False).values("consultation_id"))
    )
    if only_consultations is not None:
        consultations = consultations.filter(pk__in=only_consultations)
    consultations = list(consultations.order_by("-closes_at", "pk").values_list("pk", "title"))
    meetings = []
    if only_consultations is None:
        meetings = list(
            decided.filter(event__isnull=False)
            .values_list("event_id", "event__title", "event__start")
            .distinct()
            .order_by("-event__start", "event_id")
        )
    c_ids = [pk for pk, _ in consultations]
    m_ids = [pk for pk, _, _ in meetings]
    if not c_ids and not m_ids:
        return []

    responses = defaultdict(int)
    for c_id, channel, n in (
        Response.objects.filter(consultation_id__in=c_ids, status=ResponseStatus.COMPLETE)
        .values_list("consultation_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        responses[(c_id, channel)] = n
    for event_id, n in (
        Booking.objects.filter(event_id__in=m_ids, status="confirmed")
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        responses[(event_id, BOOKING)] = n

    # Each person is counted once per consultation, on the channel they answered by when their
    # response is linked to them, otherwise the way they asked.
    linked_responses = Response.objects.filter(
        consultation_id__in=c_ids, status=ResponseStatus.COMPLETE, contact__isnull=False
    )
    linked = list(linked_responses.values_list("consultation_id", "channel", "contact_id"))
    hearing = _hearing(linked_responses.values("contact_id")) if linked else set()
    topics = {consultation_topic(pk): ("consultation", pk) for pk in c_ids}
    topics.update({event_topic(pk): ("meeting", pk) for pk in m_ids})
    channel_of = defaultdict(dict)  # (kind, id) -> {contact id: channel}
    asked = defaultdict(set)
    for c_id, channel, contact_id in linked:
        channel_of[("consultation", c_id)][contact_id] = channel
        if contact_id in hearing:
            asked[("consultation", c_id)].add(contact_id)
    for topic, route, contact_id in FollowRequest.objects.filter(topic__in=topics).values_list(
        "topic", "route", "contact_id"
    ):
        key = topics[topic]
        channel_of[key].setdefault(contact_id, BOOKING if key[0] == "meeting" else route)
        asked[key].add(contact_id)

    told = {
        "consultation": _told("campaign__outcome_notices__decision__feedback_items__consultation_id", c_ids),
        "meeting": _told("campaign__outcome_notices__decision__feedback_items__event_id", m_ids),
    }
    for c_id, contact_ids in _told("campaign__results_notices__consultation_id", c_ids).items():
        told["consultation"][c_id] |= contact_ids

    labels = dict(ResponseChannel.choices)
    frozen = dict(
        FeedbackClosure.objects.filter(consultation_id__in=c_ids, told_figures__isnull=False).values_list(
            "consultation_id", "told_figures"
        )
    )
    result = []
    sources = [("consultation", pk, title) for pk, title in consultations]
    sources += [("meeting", pk, title) for pk, title, _ in meetings]
    for kind, pk, title in sources:
        channels = [BOOKING] if kind == "meeting" else list(ResponseChannel.values)
        rows = {
            channel: ToldRow(
                channel=channel,
                label="Booked the meeting" if channel == BOOKING else labels[channel],
                responses=responses[(pk, channel)],
            )
            for channel in channels
        }
        if kind == "consultation" and pk in frozen:
            result.append(
                SourceTold(title=title, kind=kind, pk=pk, rows=[ToldRow(**row) for row in frozen[pk]])
            )
            continue
        for contact_id in asked[(kind, pk)]:
            row = rows.get(channel_of[(kind, pk)].get(contact_id))
            if row is None:
                continue  # asked some other way than the channels counted here
            row.asked += 1
            if contact_id in told[kind].get(pk, ()):
                row.told += 1
        result.append(SourceTold(title=title, kind=kind, pk=pk, rows=list(rows.values())))
    return result


def freeze_told_figures(consultation_ids) -> int:
    """Keep these consultations' 'took part, asked, told' figures as they are now, for consultations
    closed with feedback whose figures are not frozen yet. Called before their responses lose their
    links to people, after which the people could no longer be counted. Returns how many it froze."""
    closures = FeedbackClosure.objects.filter(consultation_id__in=consultation_ids, told_figures__isnull=True)
    ids = list(closures.values_list("consultation_id", flat=True))
    if not ids:
        return 0
    for source in share_told(only_consultations=ids):
        figures = [asdict(row) for row in source.rows]
        FeedbackClosure.objects.filter(consultation_id=source.pk).update(told_figures=figures)
    # A closed consultation with nothing published has no figures to keep: freeze it as empty.
    closures.filter(told_figures__isnull=True).update(told_figures=[])
    return len(ids)
