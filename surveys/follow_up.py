"""Telling the people who took part in a consultation what was decided: "Tell me what you decide" on
the web confirmation page and on a keyed-in paper response, the audience of everyone who took part,
and the one "The results are out" message.

The request itself is messaging's (`messaging.services.request_follow`): new addresses are confirmed
first, and on an anonymous consultation the request is held and released later in random order, so
nothing written here or there pairs a request with a response."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConfirmedBy, FollowRoute, Purpose
from messaging.models import Contact
from messaging.sms import gsm7_lookalikes, segment_info
from parentvoice.dates import govuk_time
from parentvoice.text import masked_email, masked_mobile

from .choices import Anonymity
from .models import ConsultationPage, Response, ResultsNotice

logger = logging.getLogger(__name__)

TOOK_PART = "took-part"
SMS_SEGMENTS = 2
ELLIPSIS = "..."  # GSM-7: "…" would make the whole text UCS-2, halving the room


def consultation_topic(page_id: int) -> str:
    return f"consultation:{page_id}"


def is_anonymous(page: ConsultationPage) -> bool:
    return page.anonymity == Anonymity.ANONYMOUS


# --- Wording --------------------------------------------------------------------------------


def web_wording(title: str) -> str:
    """What the confirmation page shows above the button, stored with the request as the consent: in
    the language the person read it in."""
    return gettext(
        "We will send you a message when we decide what to do after '%(title)s' and when its results "
        "are out. We will only use your email address or mobile number for this. Every message tells "
        "you how to stop them."
    ) % {"title": title}


def paper_wording(title: str) -> str:
    return (
        f"Asked on their paper questionnaire for '{title}' to be told what we decide, and wrote down "
        "this address (confirmed before we send anything)."
    )


def earlier_consent_wording(title: str, channel: str) -> str:
    return (
        f"Took part in '{title}' having already agreed to hear about outcomes by "
        f"{Channel(channel).label.lower()}."
    )


def channel_words(channel: str) -> str:
    """'by email', 'by text message', in the active language."""
    if channel == Channel.EMAIL:
        return gettext("by email")
    if channel == Channel.SMS:
        return gettext("by text message")
    return f"by {Channel(channel).label.lower()}"


def masked(channel: str, address: str) -> str:
    return masked_email(address) if channel == Channel.EMAIL else masked_mobile(address)


def release_minutes() -> int:
    return settings.FOLLOW_RELEASE_MINUTES


# --- What the confirmation page offers -------------------------------------------------------


@dataclass(frozen=True)
class WebOffer:
    """`told_by`: channels this person will hear on anyway (offer nothing). `addresses`: for an
    invited parent, channel -> masked address we hold for them (empty for an open link)."""

    told_by: list[str] = field(default_factory=list)
    addresses: dict[str, str] = field(default_factory=dict)
    invited: bool = False

    @property
    def offered(self) -> bool:
        return not self.told_by


def _contact(contact_id: int | None) -> Contact | None:
    return Contact.objects.filter(pk=contact_id).first() if contact_id is not None else None


def web_offer(page: ConsultationPage, contact_id: int | None) -> WebOffer:
    if contact_id is None:
        return WebOffer()
    contact = _contact(contact_id)
    if contact is None:
        return WebOffer()
    told_by = messaging.follow_channels(contact.pk, [consultation_topic(page.source_page.pk)])
    if told_by:
        return WebOffer(told_by=list(told_by), invited=True)
    addresses = {}
    for channel in (Channel.EMAIL, Channel.SMS):
        address = contact.address_for(channel)
        # A suppressed address would be promised a message that is never sent.
        if address and not messaging.is_suppressed(channel, address):
            addresses[str(channel)] = masked(channel, address)
    # Nothing usable on record: they may type an address, confirmed first like anyone's.
    return WebOffer(addresses=addresses, invited=True) if addresses else WebOffer()


# --- Asking to be told -----------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """What happened to a request, in the words the person (or the officer) is shown."""

    result: str  # a messaging FollowResult value
    channel: str
    masked_address: str

    def sentence(self, *, paper: bool = False) -> str:
        how = channel_words(self.channel)
        if self.masked_address and not paper and self.result != messaging.FollowResult.HELD:
            # An address typed on a public page is always confirmed by its owner first.
            if self.channel == Channel.EMAIL:
                sent = gettext(
                    "We have sent a link to %(address)s: open it to confirm. Then we will tell you what we decide %(how)s."
                )
            else:
                sent = gettext(
                    "We have sent a text to %(address)s: reply YES to confirm. Then we will tell you what we decide %(how)s."
                )
            return sent % {"address": self.masked_address, "how": how}
        if self.result == messaging.FollowResult.FOLLOWING:
            return gettext("We will tell you what we decide %(how)s.") % {"how": how}
        if self.result == messaging.FollowResult.HELD:
            when = govuk_time(messaging.next_release())
            if paper:
                return (
                    f"Their request to be told is held until {when}, so that nobody can match it to these "
                    f"answers. Then {self.masked_address or 'their address'} gets a confirmation."
                )
            words = {"how": how, "minutes": release_minutes(), "address": self.masked_address}
            if not self.masked_address:
                return (
                    gettext(
                        "We will tell you what we decide %(how)s. So that nobody can match your request to "
                        "your answers, we record it separately, within %(minutes)s minutes."
                    )
                    % words
                )
            if self.channel == Channel.EMAIL:
                return (
                    gettext(
                        "Within %(minutes)s minutes we will send %(address)s a link to confirm. We wait "
                        "so that nobody can match your request to your answers."
                    )
                    % words
                )
            return (
                gettext(
                    "Within %(minutes)s minutes we will send %(address)s a text asking you to reply YES. "
                    "We wait so that nobody can match your request to your answers."
                )
                % words
            )
        if paper:
            return f"A confirmation was sent to {self.masked_address}: they will be told once they confirm."
        if self.channel == Channel.EMAIL:
            return gettext("We have sent a link to %(address)s: open it to confirm.") % {
                "address": self.masked_address
            }
        return gettext("We have sent a text to %(address)s: reply YES to confirm.") % {
            "address": self.masked_address
        }


def ask_to_be_told(
    page: ConsultationPage,
    *,
    channel: str,
    route: str,
    wording: str,
    address: str | None = None,
    contact_id: int | None = None,
) -> Asked:
    """One person asks to be told about this consultation on one channel: typed `address` (confirmed
    first, unless it already has consent) or an invited `contact_id` (their personal link proved it)."""
    contact = _contact(contact_id) if contact_id is not None else None
    if contact is not None:
        address_shown = ""  # nothing to confirm: the sentence needs no address
        who = {"contact": contact, "confirmed_by": ConfirmedBy.PERSONAL_LINK}
    else:
        address_shown = address or ""
        who = {"address": address}
    result = messaging.request_follow(
        # A translation's people are the English page's: one audience, one outcome message.
        topic=consultation_topic(page.source_page.pk),
        title=page.title,
        channel=channel,
        route=route,
        wording=wording,
        anonymous=is_anonymous(page),
        **who,
    )
    return Asked(str(result), str(channel), masked(channel, address_shown) if address_shown else "")


def follow_on_submit(page: ConsultationPage, contact_id: int | None) -> list[str]:
    """When an invited parent who already agreed to hear about outcomes answers an anonymous
    consultation, their answers do not name them, so only a (held) request to be told about it puts
    them in its audience: made here, on each channel they agreed to. Returns those channels."""
    if contact_id is None or not is_anonymous(page):
        return []
    contact = _contact(contact_id)
    if contact is None:
        return []
    topic = consultation_topic(page.source_page.pk)
    channels = messaging.follow_channels(contact.pk, [topic])
    for channel in channels:
        messaging.request_follow(
            topic=topic,
            title=page.title,
            channel=channel,
            route=FollowRoute.WEB,
            wording=earlier_consent_wording(page.title, channel),
            contact=contact,
            confirmed_by=ConfirmedBy.EARLIER_CONSENT,
            anonymous=True,
        )
    return list(channels)


def submit_web_response(
    page: ConsultationPage,
    answers: dict,
    *,
    contact_id: int | None,
    partner_id: int | None = None,
    submission_key: str | None = None,
) -> Response:
    """Save a web response (with the partner whose link brought the person, if any) and, for an
    invited parent on an anonymous consultation who already agreed to hear about outcomes, their held
    request to be told: both or neither.

    `submission_key` is the answering session's (the check-your-answers form carries it): a submit
    whose key was used already saves nothing and returns the response saved with it. That is a
    retry after the reply to the first was lost (saved, but the browser saw an error) or a double
    click. The caller passes only its own session's key, so no one can fetch another's response."""
    from . import services
    from .choices import ResponseChannel

    # No lookup first: the key is unique, so a second submit with it fails to save and finds the first.
    # Only an invited parent can have a held request to make with the response (follow_on_submit);
    # without one, the response's own transaction is the whole of it.
    together = transaction.atomic() if contact_id is not None else nullcontext()
    try:
        with together:
            response = services.submit_response(
                page,
                answers,
                channel=ResponseChannel.WEB,
                contact_id=contact_id,
                partner_id=partner_id,
                submission_key=submission_key,
            )
            follow_on_submit(page, contact_id)
    except services.AlreadyAnswered:
        # A submit with a key used already (a retry, a double click, or two at once: the unique key made
        # this one wait for the other and then fail): the other's response is this one's too.
        sent = sent_with_key(page, submission_key) if submission_key else None
        if sent is None:
            raise
        return sent
    return response


def sent_with_key(page: ConsultationPage, submission_key: str) -> Response | None:
    """The response a web form with this submission key already sent to this consultation, if any."""
    return Response.objects.filter(consultation_id=page.source_page.pk, submission_key=submission_key).first()


# --- The audience of everyone who took part --------------------------------------------------


def took_part_contact_ids(value: str):
    """The messaging audience "took-part:<page id>": respondents linked to their answers, and anyone
    who asked to be told about the consultation (the campaign then checks consent per channel)."""
    page_id = int(value)
    respondents = Response.objects.filter(consultation_id=page_id, contact__isnull=False).values("contact_id")
    followers = messaging.follower_ids([consultation_topic(page_id)])
    return Contact.objects.filter(Q(pk__in=respondents) | Q(pk__in=followers)).values("pk")


def took_part_topics(value: str) -> list[str]:
    return [consultation_topic(int(value))]


def topic_title(value: str) -> str:
    if not value.isdigit():
        return ""
    page = ConsultationPage.objects.filter(pk=int(value)).only("title").first()
    return page.title if page else ""


# --- The results are out ---------------------------------------------------------------------


def results_url(page: ConsultationPage) -> str:
    _, _, path = page.get_url_parts() or (None, None, page.url_path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path + page.reverse_subpage("results")


def _sms_title(title: str) -> str:
    text = " ".join(gsm7_lookalikes(title or "").split())
    while "((" in text:  # the campaign would read it as a placeholder
        text = text.replace("((", "( (")
    return text


def _fits(template: str, link: str) -> bool:
    return (
        segment_info(messaging.sms_body(messaging.render(template, {"link": link}))).segments <= SMS_SEGMENTS
    )


def results_sms_template(title: str, link: str) -> str:
    """ "The results of '<title>' are out: ((link))", the title cut after a word (or within a single
    long word) so that the text as sent fits two segments."""
    title = _sms_title(title)
    template = f"The results of '{title}' are out: ((link))"
    if _fits(template, link):
        return template
    cuts = [title[:i].rstrip(" ,;:-") for i, ch in enumerate(title) if ch == " "]
    cuts = [c for c in reversed(cuts) if c]
    first = title.split(" ", 1)[0]
    cuts += [first[:n] for n in range(len(first) - 1, 0, -1)]
    for cut in cuts:
        template = f"The results of '{cut}{ELLIPSIS}' are out: ((link))"
        if _fits(template, link):
            return template
    return "The results are out: ((link))"


def results_campaign_fields(page: ConsultationPage) -> dict:
    link = results_url(page)
    title = _sms_title(page.title)
    return {
        "name": f"Results are out: consultation {page.pk} ({page.title[:60]})"[:120],
        "kind": CampaignKind.OUTCOME_NOTICE,
        "purpose": Purpose.OUTCOMES,
        "title": title[:150],
        "link_url": link,
        "audience_source": f"{TOOK_PART}:{page.pk}",
        "one_channel_per_contact": True,
        "send_sms": True,
        "send_email": True,
        # No ((name)) in the text: its length is not known until sent, and it must fit two segments.
        "sms_template": results_sms_template(page.title, link),
        "email_subject": f"The results are out: {title}"[:150],
        "email_template": (
            f"Hello ((name)),\n\nYou took part in '{title}'. Thank you. The results are now published:\n\n"
            "((link))\n\nWe will tell you again when we decide what to do about them."
        ),
    }


def notify_results(page: ConsultationPage, user=None) -> ResultsNotice | None:
    """Tell the people who took part that the results are out: once per consultation ever, so
    republishing tells nobody again. Returns the notice, or None if there is nothing to do."""
    if not (page.live and page.results_published):
        return None
    try:
        with transaction.atomic():
            notice, created = ResultsNotice.objects.get_or_create(consultation_id=page.pk)
            if not created:
                return None
            campaign = messaging.draft_campaign(**results_campaign_fields(page))
            notice.campaign = campaign
            notice.save(update_fields=["campaign"])
            messaging.start_campaign(campaign, user=user)
    except IntegrityError:  # published twice at once: the other one tells them
        return None
    return notice


def on_page_published(sender, instance, revision=None, **kwargs):
    page = instance.specific if hasattr(instance, "specific") else instance
    if not isinstance(page, ConsultationPage) or not page.results_published:
        return
    if page.is_translation:  # its people took part in the English page: told once, from there
        return
    # Publishing has happened; a failure to start the notice must not undo it. Logged by id only.
    try:
        notify_results(page, user=getattr(revision, "user", None))
    except Exception:
        logger.exception("Could not start the results notice for consultation %s", page.pk)
