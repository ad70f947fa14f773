"""Telling parents what was decided: the audience behind a decision, the outcome notice campaign, its
preview before publishing, and which decisions' people were told."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from wagtail.log_actions import log

from forums.models import Membership
from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, MessageStatus, Purpose
from messaging.models import Campaign, Message
from surveys.models import Response

from .. import outcome_text
from ..choices import DecisionStatus
from ..models import Decision, FeedbackItem, OutcomeNotice
from .public_log import log_page

TOLD_STATUSES = [MessageStatus.SENT, MessageStatus.DELIVERED]


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
