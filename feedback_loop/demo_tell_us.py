"""Demo 'Tell us' (docs/tell-us.md): eight things parents told the council outside any consultation,
through every way in (the web form, TELL texts, an officer recording a helpline call, a school gate
and a meeting), across districts and themes. Three became 'You said' items ("Parents told us" on the
public log), one was added to an item from the demo consultation, one was closed with a reason, two
wait in the triage list, and one is held for the safeguarding lead (the term list flags it).

Three parents asked to hear back (a web form email, TELL YES, a number given on the helpline): each
confirmed their address as a real parent would. A decision on the texter's item is published, so
its outcome notice is in the outbox for them.

Names, email addresses (example.org) and mobile numbers (Ofcom's drama range, 07700 900xxx) are
invented. Safe to run again: each entry is found by its words and nothing is done twice."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail import hooks

from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy
from messaging.models import AddressConfirmation, InboundMessage
from parentvoice.models import District

from .choices import DecisionStatus
from .models import Decision, FeedbackItem, OpenFeedback, OpenFeedbackSource, OpenFeedbackStatus, Theme
from .services import tell_us

SERVICE_NUMBER = "+447700900000"
OFFICER_EMAIL = "officer@example.org"


@dataclass(frozen=True)
class Told:
    text: str
    source: str
    days_ago: int
    district: str = ""  # a district's name; texts carry none
    phone: str = ""  # a texter's number
    hear_back: tuple[str, str] | None = None  # (channel, address) they asked to be told on
    item: tuple[str, str] | None = None  # a new 'You said' item: (summary, theme name)
    add_to: str = ""  # or the summary of an existing item it is added to
    closed: str = ""  # or the reason it was closed with no action
    extra: dict = field(default_factory=dict)


TOLD = [
    Told(
        "The last bus from the Margate family hub goes at 4.10, so we can't stay for the after-school "
        "group. It finishes at 5.",
        OpenFeedbackSource.SMS,
        days_ago=60,
        phone="+447700900461",
        item=(
            "The last bus from the Margate family hub leaves before its after-school group ends.",
            "Family support and early help",
        ),
        extra={"districts": ["Thanet"], "reply_yes": True},
    ),
    Told(
        "The holiday club at the Dover children's centre was full an hour after booking opened. "
        "Working parents have no chance of a place.",
        OpenFeedbackSource.WEB,
        days_ago=45,
        district="Dover",
        hear_back=(Channel.EMAIL, "sam.holiday@example.org"),
        item=(
            "Holiday club places in Dover are gone before working parents can book.",
            "Childcare and early years",
        ),
    ),
    Told(
        "Rang about SEND school transport. The form is only online and she has no computer or printer. "
        "She has asked the school three times for a paper copy.",
        OpenFeedbackSource.HELPLINE,
        days_ago=30,
        district="Swale",
        hear_back=(Channel.SMS, "+447700900462"),
        item=(
            "Parents without a computer cannot apply for SEND school transport: there is no paper form.",
            "Special educational needs and disabilities",
        ),
    ),
    Told(
        "Three dads at the school gate said nobody had told them forum meetings are open to fathers too.",
        OpenFeedbackSource.SCHOOL_GATE,
        days_ago=21,
        district="Thanet",
        add_to="Fathers and male carers often feel groups and meetings are meant for mothers.",
    ),
    Told(
        "The family hub page says it is open on Fridays, but it was shut both times I went this month.",
        OpenFeedbackSource.WEB,
        days_ago=14,
        district="Ashford",
        closed="Passed to the Ashford family hub manager: a staffing gap, now fixed, and the page is right.",
    ),
    Told(
        "Parents at the toddler group asked for the children's centre timetable on paper as well as on "
        "Facebook, as not everyone uses it.",
        OpenFeedbackSource.MEETING,
        days_ago=9,
        district="Maidstone",
    ),
    Told(
        "Please can there be groups in Polish or Romanian. My English is not so good and I feel shy.",
        OpenFeedbackSource.SMS,
        days_ago=4,
        phone="+447700900463",
    ),
    # A disclosure: the term list holds it for the safeguarding lead; officers see only that it is held.
    Told(
        "The children next door are left on their own most evenings and they seem scared of their dad. "
        "I did not know who to tell.",
        OpenFeedbackSource.WEB,
        days_ago=2,
        district="Canterbury",
    ),
]

DECISION = {
    "item": TOLD[0].item[0],
    "summary": "From the spring term the after-school group at the Margate family hub will finish at "
    "3.50pm, in time for the last bus, and we have asked the bus company about a later one.",
    "deciding_body": "Thanet Family Hub Partnership",
    "owner": "Thanet Family Hub Manager",
}


@hooks.register("parentvoice_load_demo_content")
def load_tell_us_demo(say):
    officer = get_user_model().objects.filter(email=OFFICER_EMAIL).first()
    entries = [_entry(told, officer) for told in TOLD]
    for told, entry in zip(TOLD, entries, strict=True):
        if entry.status == OpenFeedbackStatus.NEW:
            _triage(told, entry, officer)
    decided = _decision()
    items = FeedbackItem.objects.filter(open_feedback__in=entries).distinct().count()
    say(
        f"'Tell us': {len(entries)} things parents told us, {items} 'You said' items from them"
        + (" and a decision whose notice went to the parent who asked" if decided else "")
    )


def _entry(told: Told, officer) -> OpenFeedback:
    entry = OpenFeedback.objects.filter(text=told.text, source=told.source).first()
    if entry is not None:
        return entry
    district = District.objects.filter(name=told.district).first() if told.district else None
    if told.source == OpenFeedbackSource.SMS:
        entry = _texted(told)
    elif told.source == OpenFeedbackSource.WEB:
        entry = tell_us.receive_open_feedback(text=told.text, source=told.source, district=district)
        if told.hear_back:
            tell_us.request_reply(entry, channel=told.hear_back[0], address=told.hear_back[1])
            _confirm_as_the_parent_would(entry)
    else:
        entry = tell_us.record_told_by_officer(
            text=told.text,
            source=told.source,
            district=district,
            user=officer,
            hear_back=[told.hear_back] if told.hear_back else [],
        )
        if told.hear_back:
            _confirm_as_the_parent_would(entry)
    when = timezone.now() - timedelta(days=told.days_ago, hours=3)
    OpenFeedback.objects.filter(pk=entry.pk).update(received_at=when)
    entry.refresh_from_db()
    return entry


def _texted(told: Told) -> OpenFeedback:
    """Through the same inbound handling as the webhook: the thank-you reply goes to the outbox."""
    keyword = settings.TELL_US_KEYWORD.upper()
    texts = [f"{keyword} {told.text}"] + ([f"{keyword} YES"] if told.extra.get("reply_yes") else [])
    for number, body in enumerate(texts):
        ref = f"SMdemotell{told.phone[-3:]}{number:021d}"
        if not InboundMessage.objects.filter(provider_ref=ref).exists():
            messaging.receive_sms(
                provider_ref=ref, from_number=told.phone, to_number=SERVICE_NUMBER, body=body
            )
    return OpenFeedback.objects.get(text=told.text, source=told.source)


def _confirm_as_the_parent_would(entry: OpenFeedback) -> None:
    """The parent opens the link we emailed, or replies YES to the text: their request is recorded."""
    topic = tell_us.tell_us_topic(entry.pk)
    for confirmation in AddressConfirmation.objects.filter(
        follow_up__endswith=f":{topic}", confirmed_at=None
    ):
        by = ConfirmedBy.EMAIL_LINK if confirmation.channel == Channel.EMAIL else ConfirmedBy.SMS_REPLY
        messaging.confirm_address(confirmation.pk, confirmed_by=by)


def _theme(name: str) -> Theme:
    return Theme.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})[0]


def _triage(told: Told, entry: OpenFeedback, officer) -> None:
    if tell_us.triage_list().filter(pk=entry.pk, held=True).exists():
        return  # waits for the safeguarding lead
    if told.item:
        summary, theme = told.item
        item = tell_us.make_item(entry, user=officer, summary=summary, theme=_theme(theme))
        if told.extra.get("districts"):
            item.districts.set(District.objects.filter(name__in=told.extra["districts"]))
            item.save()
        item.save_revision(user=officer).publish()
    elif told.add_to:
        item = FeedbackItem.objects.filter(summary=told.add_to).first()
        if item is not None:
            tell_us.add_to_item(entry, user=officer, item=item)
    elif told.closed:
        tell_us.close_entry(entry, user=officer, reason=told.closed)


def _decision() -> Decision | None:
    """A published decision on the texter's item: its outcome notice goes to them (they replied TELL
    YES), prepared as the task worker would so it is in the outbox."""
    from .demo import _prepare_outcome_campaigns

    item = FeedbackItem.objects.filter(summary=DECISION["item"], live=True).first()
    if item is None:
        return None
    decision = Decision.objects.filter(summary=DECISION["summary"]).first()
    if decision is not None:
        return decision
    today = timezone.localdate()
    decision = Decision(
        summary=DECISION["summary"],
        status=DecisionStatus.AGREED,
        deciding_body=DECISION["deciding_body"],
        owner=DECISION["owner"],
        decided_on=today - timedelta(days=10),
        due_on=today + timedelta(weeks=10),
    )
    decision.feedback_items = [item]
    decision.full_clean(exclude=["feedback_items"])
    decision.save()
    decision.save_revision().publish()
    _prepare_outcome_campaigns()
    return decision
