"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Bookings are found by the email address or mobile given; memberships through the person's contact;
enquiries by the address they asked to be replied to. Erasure anonymises a booking (the places and
its status stay, so the event's numbers are right), deletes memberships and enquiries, and replaces the
address in anyone else's enquiry or access needs by "[removed]"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from messaging.personal_data import contacts_for
from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import REMOVED, mobile_forms, redact_field, rows
from parentvoice.safeguarding.personal_data import withhold_held

from .models import Booking, ForumEnquiry, Membership, ParentPageLink


def _bookings(subject: Subject) -> QuerySet:
    query = Q(pk__in=[])
    if subject.email:
        query |= Q(email__iexact=subject.email)
    if subject.mobile:
        query |= Q(mobile=subject.mobile)
    return Booking.objects.filter(query)


def anonymise_bookings(bookings: QuerySet) -> int:
    """Who booked is removed; the places, status and dates stay."""
    return bookings.update(name=REMOVED, email="", mobile="", access_needs="")


def find_bookings(subject: Subject) -> list[dict]:
    found = rows(
        _bookings(subject).order_by("created_at", "id"),
        "id",
        "event__title",
        "event__start",
        "name",
        "email",
        "mobile",
        "adults",
        "children",
        "creche_places",
        "access_needs",
        "parent_role",
        "status",
        "created_at",
    )
    return withhold_held("forums.booking", found, "access_needs")


def erase_bookings(subject: Subject) -> int:
    return anonymise_bookings(_bookings(subject)) + redact_field(
        Booking.objects.all(), "access_needs", subject
    )


def _memberships(subject: Subject) -> QuerySet:
    return Membership.objects.filter(contact__in=contacts_for(subject))


def find_memberships(subject: Subject) -> list[dict]:
    return rows(_memberships(subject), "forum__title", "organisation", "job_title", "joined_at", "left_at")


def erase_memberships(subject: Subject) -> int:
    return _memberships(subject).delete()[0]


def _enquiries(subject: Subject) -> QuerySet:
    query = Q(pk__in=[])
    if subject.email:
        query |= Q(reply_to__iexact=subject.email)
    if subject.mobile:
        # Typed by the person: +44 form, or 07... with or without spaces.
        query |= Q(reply_to=subject.mobile)
        for form in mobile_forms(subject.mobile):
            query |= Q(reply_to__endswith=form)
    return ForumEnquiry.objects.filter(query)


def find_enquiries(subject: Subject) -> list[dict]:
    found = rows(
        _enquiries(subject).order_by("created_at", "id"),
        "id",
        "forum__title",
        "name",
        "reply_to",
        "message",
        "created_at",
    )
    return withhold_held("forums.enquiry", found, "message")


def erase_enquiries(subject: Subject) -> int:
    deleted = _enquiries(subject).delete()[1].get(ForumEnquiry._meta.label, 0)
    return deleted + redact_field(ForumEnquiry.objects.all(), "message", subject)


def _page_links(subject: Subject) -> QuerySet:
    addresses = [address for address in (subject.email, subject.mobile) if address]
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(address__iexact=address)
    return ParentPageLink.objects.filter(query)


def find_page_links(subject: Subject) -> list[dict]:
    # When links to their own page were asked for and used; never the link itself (only its hash is kept).
    return rows(
        _page_links(subject).order_by("created_at", "id"), "channel", "created_at", "expires_at", "used_at"
    )


def erase_page_links(subject: Subject) -> int:
    return _page_links(subject).delete()[0]


register_personal_data(
    "forums.bookings",
    label="Places booked at forum events (kept without your details after erasure)",
    find=find_bookings,
    erase=erase_bookings,
    models=[Booking],
)
register_personal_data(
    "forums.memberships",
    label="Parent forums you joined",
    find=find_memberships,
    erase=erase_memberships,
    models=[Membership],
)
register_personal_data(
    "forums.enquiries",
    label="Messages to forum coordinators",
    find=find_enquiries,
    erase=erase_enquiries,
    models=[ForumEnquiry],
)
register_personal_data(
    "forums.page_links",
    label="Links to your own page that you asked for",
    find=find_page_links,
    erase=erase_page_links,
    models=[ParentPageLink],
)
