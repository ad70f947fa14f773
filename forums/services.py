"""Parent fora operations: listings with a constant number of queries, the "What's on" filters, and
keeping each event's forum link and calendar SEQUENCE right when it is saved."""

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.models import GroupPagePermission

from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConsentSource, Purpose
from parentvoice.dates import govuk_date, govuk_datetime
from parentvoice.models import District
from parentvoice.tokens import read_id, sign_id

from .choices import BookingStatus
from .models import CALENDAR_FIELDS, Booking, EventPage, ForumEnquiry, ForumPage, Membership

LONDON = ZoneInfo("Europe/London")
POINT_OUTCOMES_HOOK = "parentvoice_point_outcomes"


def prepare_event_for_save(event, update_fields=None):
    """Before an event is saved: remember its forum, and bump its iCal SEQUENCE when anything a
    calendar shows has changed, so calendar apps replace the old copy."""
    if event.forum_id is None and event.path:
        parent = event.get_parent()
        if parent is not None and parent.specific_class is ForumPage:
            event.forum_id = parent.pk
    if event.pk is None or (update_fields is not None and not set(update_fields) & set(CALENDAR_FIELDS)):
        return
    saved = EventPage.objects.filter(pk=event.pk).values(*CALENDAR_FIELDS, "sequence").first()
    if saved is not None and any(saved[name] != getattr(event, name) for name in CALENDAR_FIELDS):
        event.sequence = saved["sequence"] + 1
        event._calendar_changed = True  # people who booked are told once it is saved (below)


@receiver(post_save, sender=EventPage)
def _event_saved(sender, instance, created, **kwargs):
    if getattr(instance, "_calendar_changed", False) and instance.live:
        instance._calendar_changed = False
        from .tasks import notify_event_change

        event_id, sequence = instance.pk, instance.sequence
        transaction.on_commit(lambda: notify_event_change.enqueue(event_id, sequence))


def public_events(root):
    return EventPage.objects.live().public().descendant_of(root).select_related("forum__district")


def fora_with_next_event(index):
    """The index's fora, county-wide first then by district, each with `next_event` (or None).
    Two queries, however many fora and events there are."""
    upcoming = (
        public_events(index)
        .filter(forum=OuterRef("pk"), start__gte=timezone.now(), cancelled=False)
        .order_by("start")
    )
    fora = list(
        ForumPage.objects.child_of(index)
        .live()
        .public()
        .select_related("district")
        .annotate(next_event_id=Subquery(upcoming.values("pk")[:1]))
        .order_by(F("district__name").asc(nulls_first=True), "title")
    )
    events = EventPage.objects.in_bulk([f.next_event_id for f in fora if f.next_event_id])
    for forum in fora:
        forum.next_event = events.get(forum.next_event_id)
    return fora


def upcoming_events(root, limit=None, *, include_cancelled=True):
    events = public_events(root).filter(end__gte=timezone.now()).order_by("start")
    if not include_cancelled:
        events = events.filter(cancelled=False)
    return events[:limit] if limit else events


CALENDAR_PAST = timedelta(days=90)
CALENDAR_AHEAD = timedelta(days=366)


def calendar_events(root):
    """What a calendar feed carries: the last 90 days and the year ahead."""
    now = timezone.now()
    return (
        public_events(root)
        .filter(end__gte=now - CALENDAR_PAST, start__lte=now + CALENDAR_AHEAD)
        .order_by("start")
    )


def past_events(root, limit=10):
    return public_events(root).filter(end__lt=timezone.now()).order_by("-start")[:limit]


def points_raised(past, limit=10):
    """'What parents said' at these past meetings, newest meeting first, as {text, theme, event,
    outcomes}: `outcomes` lists what was decided about the point ({status, url}), filled in by apps
    through the `parentvoice_point_outcomes` hook."""
    points = []
    for event in past:
        for said in event.parents_said:
            points.append(
                {
                    "id": said.id,
                    "text": said.value["text"],
                    "theme": said.value.get("theme", ""),
                    "event": event,
                    "outcomes": [],
                }
            )
    points = points[:limit]
    by_key = {(point["event"].pk, point["id"]): point for point in points}
    if points:
        for fn in hooks.get_hooks(POINT_OUTCOMES_HOOK):
            for key, outcomes in fn(points).items():
                if key in by_key:
                    by_key[key]["outcomes"].extend(outcomes)
    return points


def whats_on(root, *, district=None, start_date=None, end_date=None, mode=""):
    """Events from `start_date` (default: today) to `end_date`, filtered by the forum's district
    (county-wide events are listed under every district) and by online or in person."""
    start = datetime.combine(start_date, time.min, LONDON) if start_date else timezone.now()
    events = public_events(root).filter(end__gte=start)
    if end_date:
        events = events.filter(start__lt=datetime.combine(end_date, time.max, LONDON))
    if district is not None:
        events = events.filter(Q(forum__district=district) | Q(forum__district__isnull=True))
    if mode == "online":
        events = events.exclude(online_link="")
    elif mode == "in_person":
        events = events.exclude(venue_name="", address="")
    return events.order_by("start", "pk")


def districts_with_fora():
    return District.objects.filter(fora__live=True).distinct().order_by("name")


# --- Coordinators -----------------------------------------------------------------------------

COORDINATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def ensure_coordinators(forum):
    """The forum's own coordinators group, named by the forum's id (so no title can make it another
    forum's group or a role), with page permissions on the forum's subtree only and the permission to
    see the forum's people (forums/permissions.py). Its members also need the general "Forum
    coordinators" role for admin access."""
    from .permissions import CODENAME, coordinators_group_name

    if forum.coordinators_id is not None:
        return forum.coordinators
    group, _ = Group.objects.get_or_create(name=coordinators_group_name(forum.pk, forum.title))
    group.permissions.add(Permission.objects.get(content_type__app_label="forums", codename=CODENAME))
    for codename in COORDINATOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=forum, permission=permission)
    ForumPage.objects.filter(pk=forum.pk).update(coordinators=group)
    forum.coordinators = group
    return group


@receiver(post_save, sender=ForumPage)
def _forum_created(sender, instance, created, **kwargs):
    if created:
        ensure_coordinators(instance)


# --- Bookings ---------------------------------------------------------------------------------

BOOKING_TRANSITIONS = {
    BookingStatus.CONFIRMED: {BookingStatus.CANCELLED},
    BookingStatus.WAITING: {BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.CANCELLED: set(),
}
BOOKING_SALT = "forums.booking"


class BookingError(Exception):
    pass


def _move_booking(booking, status):
    """The only place a booking's status changes."""
    if status not in BOOKING_TRANSITIONS[BookingStatus(booking.status)]:
        raise BookingError(f"A booking cannot go from {booking.status} to {status}.")
    booking.status, booking.status_changed_at = status, timezone.now()
    booking.save(update_fields=["status", "status_changed_at"])


def _locked_event(event_id):
    """The event row, locked so that bookings for it are decided one at a time."""
    events = (
        EventPage.objects.select_for_update(of=("self",))
        if connection.features.has_select_for_update_of
        else EventPage.objects
    )
    return events.get(pk=event_id)


def places_taken(event):
    return (
        event.bookings.filter(status=BookingStatus.CONFIRMED).aggregate(n=Sum(F("adults") + F("children")))[
            "n"
        ]
        or 0
    )


def places_left(event):
    if not event.booking_required or event.capacity is None:
        return None
    return max(0, event.capacity - places_taken(event))


WAITING_LIST_FULL = (
    "This event is full and so is its waiting list, so it cannot be booked now. "
    "If you need a place, contact the forum."
)


def waiting_list_full(event):
    """An event's waiting list holds at most BOOKING_WAITING_LIST_MAX bookings: a full event cannot be
    used to send confirmation after confirmation."""
    waiting = event.bookings.filter(status=BookingStatus.WAITING)
    return waiting.count() >= settings.BOOKING_WAITING_LIST_MAX


def booking_problem(event, now=None):
    """Why this event cannot be booked now, or None."""
    now = now or timezone.now()
    if not event.booking_required:
        return "You do not need to book this event: just come along."
    if event.cancelled:
        return "This event has been cancelled, so it cannot be booked."
    if event.start <= now:
        return "This event has already started or finished, so it cannot be booked."
    return None


class BookingState:
    """What an event's page offers: a place, the waiting list, or (both full) updates instead."""

    OPEN = "open"
    WAITING_LIST = "waiting_list"
    FULL = "full"


def booking_state(event: EventPage, now: datetime | None = None) -> str | None:
    """OPEN, WAITING_LIST (no places left, the waiting list has room), FULL (neither), or None
    when the event cannot be booked at all (a drop-in, cancelled, started)."""
    if booking_problem(event, now):
        return None
    if places_left(event):
        return BookingState.OPEN
    return BookingState.FULL if waiting_list_full(event) else BookingState.WAITING_LIST


def book(event_id, *, name, email="", mobile="", adults=1, children=0, creche_places=0, access_needs=""):
    """Book places, or join the waiting list when there are not enough left. Atomic; concurrent
    bookings for one event are decided one at a time, so the event can never be overbooked."""
    with transaction.atomic():
        event = _locked_event(event_id)
        if not event.live:
            raise BookingError("This event is not open for booking.")
        problem = booking_problem(event)
        if problem:
            raise BookingError(problem)
        places = adults + children
        if places < 1:
            raise BookingError("Book at least one place.")
        if places > event.capacity:
            raise BookingError(
                f"This event has {event.capacity} places in all. Book {event.capacity} or fewer."
            )
        if places > settings.BOOKING_MAX_PLACES:
            raise BookingError(f"Book {settings.BOOKING_MAX_PLACES} places or fewer in all.")
        fits = places_taken(event) + places <= event.capacity
        if not fits and waiting_list_full(event):
            raise BookingError(WAITING_LIST_FULL)
        booking = Booking.objects.create(
            event=event,
            name=name,
            email=email,
            mobile=mobile,
            adults=adults,
            children=children,
            creche_places=creche_places,
            access_needs=access_needs,
            status=BookingStatus.CONFIRMED if fits else BookingStatus.WAITING,
        )
        _notify(booking, "confirmed" if fits else "waiting")
        if fits:
            schedule_reminders(booking, event)
    return booking


def cancel_booking(booking_id):
    """Cancel a booking (again is harmless) and offer the freed places to the waiting list, first
    come first served. Returns the bookings that got a place."""
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        event = _locked_event(booking.event_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status == BookingStatus.CANCELLED:
            return []
        _move_booking(booking, BookingStatus.CANCELLED)
        _notify(booking, "cancelled")
        return _offer_places(event)


def _offer_places(event):
    if event.start <= timezone.now() or event.cancelled:
        return []
    left = event.capacity - places_taken(event)
    promoted = []
    for waiting in event.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk"):
        if waiting.places <= left:
            _move_booking(waiting, BookingStatus.CONFIRMED)
            _notify(waiting, "offered")
            schedule_reminders(waiting, event)
            left -= waiting.places
            promoted.append(waiting)
    return promoted


def booking_token(booking_id):
    return sign_id(BOOKING_SALT, booking_id)


def booking_for_token(token, now=None):
    """The booking a link was made for, or None: a link that is not ours, or one whose event ended
    more than BOOKING_LINK_DAYS_AFTER_EVENT days ago (personal links do not work for ever)."""
    booking_id = read_id(BOOKING_SALT, token)
    if not booking_id:
        return None
    expired_before = (now or timezone.now()) - timedelta(days=settings.BOOKING_LINK_DAYS_AFTER_EVENT)
    return (
        Booking.objects.select_related("event").filter(pk=booking_id, event__end__gte=expired_before).first()
    )


def booking_url(booking_id):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "forums:booking", args=[booking_token(booking_id)]
    )


NOTICES = {
    "confirmed": "Your booking for {title} at {when} is confirmed: {places}. See or cancel it: {link}",
    "waiting": "{title} at {when} is full, so you are on the waiting list. We will tell you if a place comes up: {link}",
    "offered": "Good news: a place came up. Your booking for {title} at {when} is confirmed: {places}. See or cancel it: {link}",
    "cancelled": "Your booking for {title} at {when} is cancelled. Thank you for letting us know.",
    "reminder": "{title} is at {when}. You have booked {places}. See or cancel: {link}",
    "changed": "{title} has changed: it is now at {when}{where}. See the details or cancel: {link}",
    "event_cancelled": "Sorry, {title} at {when} is cancelled. {notice}",
}


def _notify(booking, kind, *, suffix="", lead=""):
    event = booking.event
    text = lead + NOTICES[kind].format(
        title=event_name(event),
        when=govuk_datetime(event.start),
        where=f", at {event.venue_name}" if event.venue_name else " (online)" if event.online_link else "",
        places=_places_text(booking),
        link=booking_url(booking.pk),
        notice=event.cancellation_notice,
    )
    for channel, recipient in ((Channel.EMAIL, booking.email), (Channel.SMS, booking.mobile)):
        if recipient:
            messaging.send_service_message(
                channel=channel,
                recipient=recipient,
                subject=f"{event_name(event)}: booking {kind}",
                body=text,
                key=f"booking:{booking.pk}:{kind}:{suffix}:{channel}",
            )
            break  # one channel: email when given, else text


def _places_text(booking):
    parts = [f"{booking.adults} adult{'s' if booking.adults != 1 else ''}"]
    if booking.children:
        parts.append(f"{booking.children} child{'ren' if booking.children != 1 else ''}")
    if booking.creche_places:
        parts.append(f"{booking.creche_places} creche place{'s' if booking.creche_places != 1 else ''}")
    return ", ".join(parts)


# --- Reminders and changes ---------------------------------------------------------------------

REMINDERS = {"2 days": timedelta(days=2), "2 hours": timedelta(hours=2)}


def schedule_reminders(booking, event):
    """Queue the reminders 2 days and 2 hours before the event, those still ahead. Each carries the
    start time it was made for: if the event moves, it does nothing and new ones are queued."""
    from .tasks import send_booking_reminder

    now = timezone.now()
    for which, before in REMINDERS.items():
        due = event.start - before
        if due > now:
            args = (booking.pk, which, event.start.isoformat())
            transaction.on_commit(
                lambda args=args, due=due: send_booking_reminder.using(run_after=due).enqueue(*args)
            )


def send_booking_reminder(booking_id, which, expected_start):
    booking = Booking.objects.select_related("event").filter(pk=booking_id).first()
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return False
    event = booking.event
    if event.cancelled or not event.live or event.start.isoformat() != expected_start:
        return False
    _notify(booking, "reminder", suffix=f"{which}:{expected_start}", lead=f"Reminder: in {which}. ")
    return True


def notify_event_change(event_id, sequence):
    """Tell everyone booked or waiting that the event changed or was cancelled (once per change),
    and queue reminders for the new time."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None or event.sequence != sequence:
        return 0  # changed again since: the newer change sends its own notice
    bookings = list(event.bookings.exclude(status=BookingStatus.CANCELLED).select_related("event"))
    with transaction.atomic():
        for booking in bookings:
            if event.cancelled:
                _notify(booking, "event_cancelled")
            else:
                _notify(booking, "changed", suffix=str(sequence))
                if booking.status == BookingStatus.CONFIRMED:
                    schedule_reminders(booking, event)
    return len(bookings)


# --- Members --------------------------------------------------------------------------------

MEMBERSHIP_SALT = "forums.membership"
FOLLOW_UP_JOIN = "forum:"
JOIN_WORDING = (
    "Join {forum}. We will send you up to 2 texts or emails a month about the things you tick. Every "
    "message tells you how to stop, and you can leave the forum at any time."
)


def join_forum(forum, *, name: str, email: str, mobile: str, purposes) -> "messaging.SignUpRequest":
    """Ask to join a forum: messaging sends each address a confirmation, and the person becomes a
    member (with their consents recorded) only once they confirm from it (`add_confirmed_member`)."""
    return messaging.request_sign_up(
        name=name,
        email=email,
        mobile=mobile,
        district=forum.district,
        purposes=purposes,
        wording=JOIN_WORDING.format(forum=forum.title),
        source=ConsentSource.FORUM_JOIN,
        follow_up=f"{FOLLOW_UP_JOIN}{forum.pk}",
        what=f"{forum.title}",
    )


def add_confirmed_member(follow_up: str, contact) -> Membership | None:
    """An address confirmed after a forum join: make the contact a member (once)."""
    if not follow_up.startswith(FOLLOW_UP_JOIN):
        return None
    forum = ForumPage.objects.filter(pk=int(follow_up.removeprefix(FOLLOW_UP_JOIN))).first()
    if forum is None:
        return None
    membership = Membership.objects.filter(forum=forum, contact=contact, left_at__isnull=True).first()
    return membership or Membership.objects.create(forum=forum, contact=contact)


def membership_after_confirmation(sender, *, confirmation, contact, **kwargs) -> str | None:
    """messaging's address_confirmed signal: finish a join, and send the person to their membership."""
    membership = add_confirmed_member(confirmation.follow_up, contact)
    return reverse("forums:membership", args=[membership_token(membership.pk)]) if membership else None


def leave_forum(membership_id):
    return bool(
        Membership.objects.filter(pk=membership_id, left_at__isnull=True).update(left_at=timezone.now())
    )


def membership_token(membership_id):
    return sign_id(MEMBERSHIP_SALT, membership_id)


def membership_for_token(token):
    membership_id = read_id(MEMBERSHIP_SALT, token)
    return (
        Membership.objects.select_related("forum").filter(pk=membership_id).first() if membership_id else None
    )


def member_contact_ids(forum_id):
    """The messaging audience "forum:<id>": current members (each campaign still checks consent)."""
    return Membership.objects.filter(forum_id=forum_id, left_at__isnull=True).values("contact_id")


def current_members(forum):
    return forum.memberships.filter(left_at__isnull=True).select_related("contact", "contact__district")


NOTICE_CAMPAIGN_NAME = "Event notice"
NOTICE_SMS_MAX_SEGMENTS = 3


def event_url(event: EventPage) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (event.get_url() or "")


def notice_invitation(event: EventPage) -> str:
    """What the notice asks members to do: a full event does not invite them to book."""
    if event.cancelled:
        return "It is cancelled. Details:"
    if not event.booking_required:
        return "No need to book, just come along. Details:"
    if places_left(event) == 0:
        return "It is fully booked. Details:"
    return "Book a place:"


EMAIL_SUBJECT_LIMIT = 150


def _fit(text: str, limit: int) -> str:
    return Truncator(text).chars(limit)


def notice_defaults(event: EventPage) -> dict[str, str]:
    """The notice's starting text, for the coordinator to change: the event's name (with its forum's,
    once), when and where, and a link."""
    when = govuk_datetime(event.start)
    where = event.venue_name or ("online" if event.online_link else "")
    where_text = f", {where}" if where else ""
    invitation, url = notice_invitation(event), event_url(event)
    return {
        "sms_text": f"{event_name(event)}, {when}{where_text}. {invitation} {url}",
        # A page title may be 255 characters; an email subject (and the campaign's column) 150.
        "email_subject": _fit(f"{event_name(event)}, {govuk_date(event.start)}", EMAIL_SUBJECT_LIMIT),
        "email_text": f"Hello,\n\n{event_name(event)} is at {when}{where_text}.\n\n{invitation}\n{url}",
    }


def _draft_notice(event, forum, *, name, sms_text, email_subject, email_text):
    return messaging.draft_campaign(
        name=name,
        kind=CampaignKind.EVENT_NOTICE,
        purpose=Purpose.FORUM_EVENTS,
        title=event.title[:150],  # the campaign's title and name are shorter than a page's title
        link_url=event_url(event),
        audience_source=f"forum:{forum.pk}",
        one_channel_per_contact=True,
        sms_template=sms_text,
        email_subject=email_subject,
        email_template=email_text,
    )


def notice_reach(event: EventPage) -> int:
    """How many members the notice would reach (agreed to hear about meetings, on a channel we have),
    counted by messaging's own audience rules on a draft that is rolled back, so the figure the
    coordinator sees is the one the campaign will use."""
    forum = forum_of_event(event)
    with transaction.atomic():
        draft = _draft_notice(
            event, forum, name=f"notice-count:{event.pk}:{timezone.now().isoformat()}",
            sms_text="-", email_subject="-", email_text="-",
        )  # fmt: skip
        reach = messaging.audience_size(draft)
        transaction.set_rollback(True)
    return reach


def notice_preview(event: EventPage, *, sms_text: str, email_subject: str, email_text: str) -> dict:
    """Exactly what members will get: the text message as sent (with its sender and STOP line) and
    its length in segments, and the email with its footer (each person's own links shown as such)."""
    from messaging.sms import segment_info

    sms = messaging.sms_body(sms_text)
    email = messaging.email_body(email_text, 0)
    for url in (messaging.preferences_url(0), messaging.unsubscribe_url(0)):
        email = email.replace(url, "(a link for each person)")
    return {
        "sms": sms,
        "segments": segment_info(sms).segments,
        "email_subject": email_subject,
        "email": email,
        "reach": notice_reach(event),
    }


def forum_of_event(event: EventPage) -> ForumPage:
    return event.forum or event.get_parent().specific


def event_notice_campaign(
    event, *, sms_text: str | None = None, email_subject: str | None = None,
    email_text: str | None = None, user=None,
):  # fmt: skip
    """Send the coordinator's checked notice (or the default one) to the forum's members who agreed
    to hear about meetings, on one channel each, through messaging's campaign (consent, suppression
    and pacing applied there). Named by the minute, so a second click on "Send" does not send it
    twice."""
    forum = forum_of_event(event)
    defaults = notice_defaults(event)
    sms_text = sms_text or defaults["sms_text"]
    email_subject = email_subject or defaults["email_subject"]
    email_text = email_text or defaults["email_text"]
    _refuse_a_repeat(event, forum, sms_text=sms_text, email_subject=email_subject, email_text=email_text)
    campaign = _draft_notice(
        event,
        forum,
        name=f"{NOTICE_CAMPAIGN_NAME}: {event.title[:60]} ({event.pk}, sent {govuk_datetime(timezone.now(), weekday=False)})",
        sms_text=sms_text,
        email_subject=email_subject,
        email_text=email_text,
    )
    campaign = messaging.start_campaign(campaign, user=user)
    from wagtail.log_actions import log

    log(event, "forums.notice_sent", user=user, data={"campaign": campaign.pk})
    return campaign


# The same notice again this soon is a second click (or Back and Send), not a second notice: the
# campaign's name only tells apart notices sent in the same minute.
NOTICE_REPEAT_GAP = timedelta(minutes=30)


def _refuse_a_repeat(event, forum, *, sms_text: str, email_subject: str, email_text: str) -> None:
    from messaging.choices import CampaignStatus
    from messaging.models import Campaign

    repeat = (
        Campaign.objects.filter(
            kind=CampaignKind.EVENT_NOTICE,
            audience_source=f"forum:{forum.pk}",
            link_url=event_url(event),
            sms_template=sms_text,
            email_subject=email_subject,
            email_template=email_text,
            started_at__gte=timezone.now() - NOTICE_REPEAT_GAP,
        )
        .exclude(status=CampaignStatus.CANCELLED)
        .order_by("-started_at")
        .first()
    )
    if repeat is not None:
        raise messaging.CampaignError(
            f"This notice was already sent at {govuk_datetime(repeat.started_at, weekday=False)}. "
            "It has not been sent again."
        )


# --- Bookings for coordinators ------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOOKING_CSV_HEADER = [
    "Name", "Email", "Mobile", "Adults", "Children", "Places", "Creche places", "Access needs",
    "Status", "Booked",
]  # fmt: skip


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting (after spaces) with = + - @, a tab or a
    carriage return would be run as a formula, so it gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def national_mobile(mobile) -> str:
    """ "+447700900982" as people write it, "07700 900982" (a leading + would be a formula too)."""
    text = str(mobile or "")
    if text.startswith("+44") and len(text) == 13:
        return f"0{text[3:7]} {text[7:]}"
    return text


def masked_mobile(mobile) -> str:
    """Enough of a number to tell two bookings apart on screen, not enough to ring it."""
    national = national_mobile(mobile).replace(" ", "")
    if len(national) < 6:
        return "•" * len(national)
    return f"{national[:2]}••• •••{national[-3:]}"


def masked_email(email: str) -> str:
    local, _, domain = (email or "").partition("@")
    if not domain:
        return ""
    return f"{local[:1]}•••@{domain}"


def bookings_for_coordinator(event: EventPage) -> "QuerySet[Booking]":
    """Confirmed first, then the waiting list in its order, then cancelled ones."""
    rank = Case(
        When(status=BookingStatus.CONFIRMED, then=Value(0)),
        When(status=BookingStatus.WAITING, then=Value(1)),
        default=Value(2),
    )
    return event.bookings.order_by(rank, "created_at", "pk")


def booking_rows(event: EventPage) -> Iterator[list[str]]:
    """The bookings as CSV rows, header first, every cell safe to open in a spreadsheet."""
    yield BOOKING_CSV_HEADER
    for booking in bookings_for_coordinator(event).iterator():
        yield [
            csv_safe(value)
            for value in (
                booking.name,
                booking.email,
                national_mobile(booking.mobile),
                booking.adults,
                booking.children,
                booking.places,
                booking.creche_places,
                booking.access_needs,
                booking.get_status_display(),
                govuk_datetime(booking.created_at, weekday=False),
            )
        ]


def record_people_seen(event: EventPage, user, how: str) -> None:
    """Who took the bookings away from the screen (printed or downloaded), in the event's history."""
    from wagtail.log_actions import log

    log(event, f"forums.bookings_{how}", user=user)


def next_reminder(event: EventPage, now: datetime | None = None) -> datetime | None:
    """When the first reminder still to come is sent, or None."""
    now = now or timezone.now()
    due = [event.start - before for before in REMINDERS.values() if event.start - before > now]
    return min(due) if due else None


def event_name(event: EventPage) -> str:
    """The event's name with its forum's, for texts, emails and calendars read away from the forum's
    page. A title need not repeat the forum (pages show it from the event's fields); an older title
    that already does is left as it is."""
    forum = event.forum
    if forum is None or forum.title.lower() in event.title.lower():
        return event.title
    return f"{forum.title}: {event.title}"


# --- Contacting coordinators --------------------------------------------------------------------


def send_enquiry(forum, *, name, reply_to, message):
    """Save a message to the forum's coordinators and email it to each of them (or, where the forum
    has none yet, to consultation officers). No coordinator's address is ever shown to the sender."""
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS

    with transaction.atomic():
        enquiry = ForumEnquiry.objects.create(forum=forum, name=name, reply_to=reply_to, message=message)
        recipients = (
            get_user_model().objects.filter(is_active=True, groups=forum.coordinators)
            if forum.coordinators_id
            else None
        )
        if not recipients:
            recipients = get_user_model().objects.filter(is_active=True, groups__name=CONSULTATION_OFFICERS)
        for user in recipients.distinct():
            messaging.send_service_message(
                channel=Channel.EMAIL,
                recipient=user.email,
                subject=f"{forum.title}: a message from {name}",
                body=f"{name} wrote to {forum.title} through the website:\n\n{message}\n\nReply to: {reply_to}",
                key=f"forum-enquiry:{enquiry.pk}:{user.pk}",
            )
    return enquiry
