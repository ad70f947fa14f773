"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Website feedback is found by the email given for a reply (and by an address written in it); erasure
wipes that email and replaces the address in the text by "[removed]": what was said stays, anonymous.
A parent's own sign-in account is deleted; a staff account is not (staff leave through the users admin)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import SiteFeedback
from .privacy.registry import Subject, register_personal_data
from .privacy.services.subjects import redact_field, rows, text_q
from .safeguarding.personal_data import withhold_held


def _feedback(subject: Subject) -> QuerySet:
    query = text_q("trying_to_do", subject) | text_q("improve", subject)
    if subject.email:
        query |= Q(email__iexact=subject.email)
    return SiteFeedback.objects.filter(query)


def find_feedback(subject: Subject) -> list[dict]:
    found = rows(
        _feedback(subject).order_by("created_at", "id"),
        "id",
        "created_at",
        "trying_to_do",
        "ease",
        "improve",
        "email",
    )
    return withhold_held("parentvoice.site_feedback", found, "trying_to_do", "improve")


def erase_feedback(subject: Subject) -> int:
    wiped = SiteFeedback.objects.filter(email__iexact=subject.email).update(email="") if subject.email else 0
    everything = SiteFeedback.objects.all()
    return (
        wiped
        + redact_field(everything, "trying_to_do", subject)
        + redact_field(everything, "improve", subject)
    )


def _accounts(subject: Subject) -> QuerySet:
    if not subject.email:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(email__iexact=subject.email, is_staff=False, is_superuser=False)


def find_accounts(subject: Subject) -> list[dict]:
    return rows(_accounts(subject), "email", "first_name", "last_name", "date_joined", "last_login")


def erase_accounts(subject: Subject) -> int:
    return _accounts(subject).delete()[1].get(get_user_model()._meta.label, 0)


register_personal_data(
    "parentvoice.site_feedback",
    label="Feedback about this website",
    find=find_feedback,
    erase=erase_feedback,
    models=[SiteFeedback],
)
register_personal_data(
    "parentvoice.accounts",
    label="Your sign-in account",
    find=find_accounts,
    erase=erase_accounts,
    order=95,
    models=[get_user_model()],
)
