"""Telling parents what was decided: the audience behind a decision, the outcome notice campaign and
the progress update campaigns, their preview before publishing, and which decisions' people were told."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from wagtail.log_actions import log

from forums.models import Membership
from forums.services import event_topic
from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, MessageStatus, Purpose
from messaging.models import Campaign, Message
from parentvoice.dates import govuk_date
from surveys.follow_up import consultation_topic
from surveys.models import Response

from .. import outcome_text
from ..choices import DecisionStatus
from ..models import Decision, DecisionUpdate, FeedbackItem, OutcomeNotice
from .public_log import log_page

TOLD_STATUSES = [MessageStatus.SENT, MessageStatus.DELIVERED]


def decision_topics(decision_id: int) -> list[str]:
    """The follow topics behind a decision: "consultation:<id>" for each consultation and
    "event:<id>" for each meeting its published items rest on, and "tell-us:<id>" for each open
    feedback entry behind them."""
    rows = (
        FeedbackItem.objects.filter(decisions__pk=decision_id, live=True)
        .values_list("consultation_id", "event_id")
        .distinct()
    )
    topics = set()
    for consultation_id, event_id in rows:
        if consultation_id:
            topics.add(consultation_topic(consultation_id))
        if event_id:
            topics.add(event_topic(event_id))
    # Whoever told us something on the 'Tell us' form or by text and asked to hear back.
    from .tell_us import tell_us_topics

    topics.update(
        tell_us_topics(
            FeedbackItem.objects.filter(decisions__pk=decision_id, live=True).values_list("pk", flat=True)
        )
    )
    return sorted(topics)


def decision_contact_ids(decision_id: int):
    """The messaging audience "decision:<id>": everyone who answered a consultation the decision
    responds to (when their answers are linked to them), current members of a forum whose meeting
    raised it, and whoever asked to be told about those consultations or meetings (on the web, by
    text, on paper or when booking), for the decision's published items. Each person once, however
    many of these they are. The campaign then keeps, per channel, those who agreed to hear about
    outcomes or asked to be told about one of `decision_topics` on that channel."""
    from messaging.models import Contact

    items = FeedbackItem.objects.filter(decisions__pk=decision_id, live=True)
    respondents = Response.objects.filter(
        consultation_id__in=items.filter(consultation__isnull=False).values("consultation_id"),
        contact__isnull=False,
    ).values("contact_id")
    members = Membership.objects.filter(
        forum_id__in=items.filter(event__isnull=False).values("event__forum_id"), left_at__isnull=True
    ).values("contact_id")
    people = Q(pk__in=respondents) | Q(pk__in=members)
    topics = decision_topics(decision_id)
    if topics:
        people |= Q(pk__in=messaging.follower_ids(topics))
    return Contact.objects.filter(people).values("pk")


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


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


def _update_lines(updates) -> str:
    return "".join(
        f"\nUpdate, {govuk_date(update.date)}: {_placeholder_safe(update.text)}\n" for update in updates
    )


def outcome_campaign_fields(decision, updates=()) -> dict:
    """The outcome notice campaign for a decision at its current status: its name, wording and
    audience. Works on a revision's copy of the decision too (the confirmation screen). `updates`
    (progress updates to tell in the same message, see `planned_campaigns`) go in the email; the
    text keeps to the decision, its two segments being full, and links to the page that has them."""
    title = _placeholder_safe(source_title(decision))
    short_title = _short(title)
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
            f"Status: {status.label}{why}\nDecided by: {_placeholder_safe(decision.deciding_body)}\n"
            f"{_update_lines(updates)}\nRead more: ((link))"
        ),
    }


def update_campaign_fields(decision, updates) -> dict:
    """The campaign telling the people behind a published decision about its progress updates marked
    "tell parents" (oldest first): "Update: <decision>", the text "<date>: <newest update>. Details:
    <link>" and every update in the email. Several updates published together are one message."""
    title = _placeholder_safe(source_title(decision))
    status = DecisionStatus(decision.status)
    link = decision_url(decision)
    newest = updates[-1]
    lines = "\n".join(
        f"Update, {govuk_date(update.date)}: {_placeholder_safe(update.text)}" for update in reversed(updates)
    )
    return {
        "name": f"Update: {decision.summary}"[:100] + f" (decision {decision.pk})",
        "kind": CampaignKind.OUTCOME_NOTICE,
        "purpose": Purpose.OUTCOMES,
        "title": _short(title),
        "link_url": link,
        "audience_source": f"decision:{decision.pk}",
        "one_channel_per_contact": True,
        "sms_template": outcome_text.update_sms(
            date=govuk_date(newest.date), text=newest.text, link=link
        ).replace(link, "((link))"),
        "email_subject": f"Update: {title}"[:150],
        "email_template": (
            f"Hello ((name)),\n\nYou took part in {title}. Here is an update on what we decided.\n\n"
            f"{lines}\n\n"
            f"{outcome_text.VERDICTS[status]}: {_placeholder_safe(decision.summary)}\n"
            f"Status: {status.label}\n\nRead more: ((link))"
        ),
    }


def _status_is_new(decision) -> bool:
    return not (
        decision.pk
        and OutcomeNotice.objects.filter(
            decision_id=decision.pk, status=decision.status, update__isnull=True
        ).exists()
    )


def _untold_updates(decision) -> list:
    """The decision's updates marked "tell parents" that nobody has been told about, oldest first. On
    a revision's copy they are in memory (a new one has no id yet), on a saved decision in the
    database: both read through `decision.updates`."""
    told = set()
    if decision.pk:
        told = set(
            OutcomeNotice.objects.filter(decision_id=decision.pk, update__isnull=False).values_list(
                "update_id", flat=True
            )
        )
    updates = [u for u in decision.updates.all() if u.tell_parents and (u.pk is None or u.pk not in told)]
    return sorted(updates, key=lambda u: (u.date, u.sort_order or 0, u.pk or 0))


def planned_campaigns(decision) -> list[dict]:
    """What publishing this copy of a decision sends, as campaign fields: the status message when it
    reaches a status for the first time (carrying any untold "tell parents" updates, so nobody gets
    two messages from one publish), otherwise one "Update" campaign for all the untold updates."""
    updates = _untold_updates(decision)
    if _status_is_new(decision):
        return [outcome_campaign_fields(decision, updates=updates)]
    return [update_campaign_fields(decision, updates)] if updates else []


def will_notify(decision) -> bool:
    """Whether publishing this copy of a decision now tells people: it is the first time it reaches
    this status, or it has a progress update marked "tell parents" that nobody was told about."""
    return _status_is_new(decision) or bool(_untold_updates(decision))


class _Rollback(Exception):
    pass


@dataclass
class PreviewMessage:
    heading: str  # "The decision" or "Update of 1 December 2026"
    sms: str  # the text message exactly as sent
    email_subject: str
    email: str  # the email as sent, up to the per-person links at its foot


@dataclass
class OutcomePreview:
    by_channel: dict  # Channel -> number of people told that way
    not_sent: int  # people behind it whose address is suppressed: recorded, never sent
    messages: list  # PreviewMessage for each campaign publishing starts (each goes to the same people)

    @property
    def total(self):
        return sum(self.by_channel.values())

    # The first message, as the confirmation screen showed before updates could be told.
    @property
    def sms(self):
        return self.messages[0].sms if self.messages else ""

    @property
    def email_subject(self):
        return self.messages[0].email_subject if self.messages else ""

    @property
    def email(self):
        return self.messages[0].email if self.messages else ""


def _preview_message(fields: dict) -> PreviewMessage:
    values = {"name": "", "title": fields["title"], "link": fields["link_url"]}
    heading = "An update" if fields["name"].startswith("Update: ") else "The decision"
    return PreviewMessage(
        heading=heading,
        sms=messaging.sms_body(messaging.render(fields["sms_template"], values)),
        email_subject=messaging.render(fields["email_subject"], values),
        email=messaging.render(fields["email_template"], {**values, "name": "[their name]"}),
    )


def outcome_preview(revision) -> OutcomePreview:
    """Who publishing a decision's revision would tell, by channel, and what they would get. The
    counts come from the campaign fan-out itself, run on the revision inside a transaction that is
    then rolled back, so they are the messages publishing creates (if nobody's details change). Every
    campaign publishing starts goes to the same people (the decision's audience), so the first one's
    fan-out counts for all."""
    decision = revision.as_object()
    planned = planned_campaigns(decision)
    if not planned:
        return OutcomePreview(
            by_channel=dict.fromkeys((Channel.SMS, Channel.EMAIL), 0), not_sent=0, messages=[]
        )
    fields = planned[0]
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
    return OutcomePreview(
        by_channel=by_channel, not_sent=not_sent, messages=[_preview_message(f) for f in planned]
    )


def _start(decision, fields: dict, user) -> Campaign:
    campaign = messaging.draft_campaign(**fields)
    messaging.start_campaign(campaign, user=user)
    return campaign


def notify_outcome(decision, user=None):
    """Tell the people behind a published decision, once per status it reaches and once per progress
    update marked "tell parents", through messaging campaigns (consent, suppression and pacing are
    applied there). A new status's message carries the untold updates; otherwise the untold updates
    share one "Update" campaign (one message per person per publish). Returns the status notice,
    else the last update notice, or None when there was nothing new to tell."""
    if not decision.live:
        return None  # a publish scheduled for later: parents are told when it goes live
    with transaction.atomic():
        # Two publishes at once (a double click) must not both tell: the row lock serialises them.
        list(Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk", flat=True))
        updates = list(
            DecisionUpdate.objects.filter(decision_id=decision.pk, tell_parents=True)
            .exclude(Exists(OutcomeNotice.objects.filter(update=OuterRef("pk"))))
            .order_by("date", "sort_order", "pk")
        )
        notice, created = OutcomeNotice.objects.get_or_create(
            decision=decision, status=decision.status, update=None
        )
        if created:
            campaign = _start(decision, outcome_campaign_fields(decision, updates=updates), user)
            notice.campaign = campaign
            notice.save(update_fields=["campaign"])
        elif updates:
            campaign = _start(decision, update_campaign_fields(decision, updates), user)
        else:
            return None
        update_notices = OutcomeNotice.objects.bulk_create(
            OutcomeNotice(decision=decision, status=decision.status, update=update, campaign=campaign)
            for update in updates
        )
        log(
            decision,
            "feedback.outcome_notice",
            user=user,
            data={"status": decision.status, "campaign": campaign.pk, "updates": [u.pk for u in updates]},
        )
        return notice if created else update_notices[-1]


def untold_decisions():
    """Published decisions whose people were not told of their current status, or of an update marked
    "tell parents" (starting the notice failed when they were published): the dashboard offers to try
    again."""
    status_told = Exists(
        OutcomeNotice.objects.filter(decision=OuterRef("pk"), status=OuterRef("status"), update__isnull=True)
    )
    update_untold = Exists(
        DecisionUpdate.objects.filter(decision=OuterRef("pk"), tell_parents=True).exclude(
            Exists(OutcomeNotice.objects.filter(update=OuterRef("pk")))
        )
    )
    return Decision.objects.filter(live=True).filter(~status_told | update_untold)


def with_told_counts(decisions):
    """Annotate each decision with `told`: people sent (or delivered) any of its outcome notices."""
    return decisions.annotate(
        told=Count(
            "notices__campaign__messages__contact",
            filter=Q(notices__campaign__messages__status__in=TOLD_STATUSES),
            distinct=True,
        )
    )
