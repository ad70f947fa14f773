"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md).

Bookings are anonymised RETAIN_BOOKINGS_DAYS after their event ENDED: the name, email, mobile and
access needs go; places and status stay, so attendance counts are unchanged. Forum enquiries are
deleted RETAIN_ENQUIRIES_DAYS after they arrived. A link to a parent's own page (which holds the
address it was sent to) is deleted a day after it expired. A record with an open safeguarding case is
left until the case is closed (the lead may need its contact details)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from messaging.retention import register_contact_keeper
from parentvoice.privacy.registry import register_retention_rule
from parentvoice.privacy.services.retention import days_ago, delete, in_chunks, in_words
from parentvoice.privacy.services.subjects import REMOVED
from parentvoice.safeguarding.services import open_case_ids

from . import personal_data, services
from .models import Booking, ForumEnquiry, Membership

# Anonymised by this rule or by an erasure (forums.personal_data names the booking REMOVED).
NOT_ANONYMOUS = ~Q(name__in=["", REMOVED]) | ~Q(email="") | ~Q(mobile="") | ~Q(access_needs="")


def anonymise_old_bookings(now: datetime, dry_run: bool) -> int:
    bookings = (
        Booking.objects.filter(event__end__lt=days_ago(now, settings.RETAIN_BOOKINGS_DAYS))
        .filter(NOT_ANONYMOUS)
        .exclude(pk__in=open_case_ids("forums.booking"))
    )
    return in_chunks(bookings, personal_data.anonymise_bookings, dry_run=dry_run)


def delete_old_enquiries(now: datetime, dry_run: bool) -> int:
    enquiries = ForumEnquiry.objects.filter(
        created_at__lt=days_ago(now, settings.RETAIN_ENQUIRIES_DAYS)
    ).exclude(pk__in=open_case_ids("forums.enquiry"))
    return in_chunks(enquiries, delete, dry_run=dry_run)


register_retention_rule(
    "forums.bookings",
    label="Event bookings: names, contact details and access needs wiped",
    period=lambda: in_words(settings.RETAIN_BOOKINGS_DAYS, "the event"),
    apply=anonymise_old_bookings,
)
register_retention_rule(
    "forums.enquiries",
    label="Messages to forum coordinators: deleted",
    period=lambda: in_words(settings.RETAIN_ENQUIRIES_DAYS, "they arrived"),
    apply=delete_old_enquiries,
)


def delete_expired_parent_page_links(now: datetime, dry_run: bool) -> int:
    return in_chunks(services.expired_parent_page_links(now), delete, dry_run=dry_run)


register_retention_rule(
    "forums.parent_page_links",
    label="Links to a parent's own page (the address they were sent to): deleted",
    period=lambda: in_words(1, "the link expired"),
    apply=delete_expired_parent_page_links,
)


def _members(cutoff: datetime) -> QuerySet:
    """Contacts to keep: current members, and anyone who left a forum since the cutoff."""
    return Membership.objects.filter(Q(left_at__isnull=True) | Q(left_at__gte=cutoff)).values("contact_id")


register_contact_keeper("forums.members", _members)
