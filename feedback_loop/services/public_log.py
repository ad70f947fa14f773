"""The public 'You said, we did' log: what parents may see of items and decisions, its filters and
sections, and the decisions behind the feeds, the decision page and the home page panel."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from wagtail.models import Page

from ..choices import AWAITING, AWAITING_LABEL, DecisionStatus
from ..models import Decision, FeedbackItem, OpenFeedback, Theme
from .items import items_without_decision, publishable_quotes


def log_page():
    from ..models import YouSaidWeDidPage

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
            Q(consultation_id__in=visible)
            | Q(event_id__in=visible)
            # 'Tell us': what parents told us outside any page ("Parents told us").
            | Q(
                Exists(OpenFeedback.objects.filter(feedback_item=OuterRef("pk"))),
                consultation__isnull=True,
                event__isnull=True,
            )
        )
        .select_related("theme", "consultation", "event", "event__forum")
        .prefetch_related(
            "districts",
            Prefetch("quotes", queryset=publishable_quotes()),
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
        items = items.annotate(told_on=first_told()).filter(
            Q(consultation__closes_at__year=year)
            | Q(event__start__year=year)
            | Q(consultation__isnull=True, event__isnull=True, told_on__year=year)
        )
    return items.order_by("-consultation__closes_at", "-event__start", "-pk")


def first_told():
    """When parents first told us what a 'Parents told us' item rests on: its year is the item's year,
    as a consultation's closing and a meeting's date are theirs."""
    return Subquery(
        OpenFeedback.objects.filter(feedback_item=OuterRef("pk"))
        .order_by("received_at")
        .values("received_at")[:1]
    )


def filter_choices():
    from parentvoice.models import District

    items = FeedbackItem.objects.filter(live=True)
    years = {
        d.year for d in items.filter(consultation__isnull=False).dates("consultation__closes_at", "year")
    }
    years |= {d.year for d in items.filter(event__isnull=False).dates("event__start", "year")}
    told_us = items.filter(consultation__isnull=True, event__isnull=True).annotate(told_on=first_told())
    years |= {d.year for d in told_us.exclude(told_on=None).dates("told_on", "year")}
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
        elif not item.event_id:
            key = ("told_us", 0)
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
