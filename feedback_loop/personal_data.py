"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Quotes are parents' words with anything identifying taken out before publishing, so they should hold
no address; any that does is found, and erasure replaces the address by "[removed]"."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Revision

from messaging.personal_data import contacts_for
from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import redact_field, redact_json_field, rows, text_q
from parentvoice.safeguarding.personal_data import withhold_held

from .models import FeedbackItem, FeedbackQuote, OpenFeedback


def find_quotes(subject: Subject) -> list[dict]:
    return rows(
        FeedbackQuote.objects.filter(text_q("text", subject)).order_by("id"),
        "id",
        "item__summary",
        "text",
        "approved",
    )


def erase_quotes(subject: Subject) -> int:
    """The quote's text, and the saved versions of its feedback item (Wagtail revisions hold quotes)."""
    items = ContentType.objects.get_for_model(FeedbackItem)
    revisions = Revision.objects.filter(base_content_type=items)
    return redact_field(FeedbackQuote.objects.all(), "text", subject) + redact_json_field(
        revisions, "content", subject
    )


register_personal_data(
    "feedback_loop.quotes",
    label="Quotes from parents that mention you",
    find=find_quotes,
    erase=erase_quotes,
    models=[FeedbackQuote],
)


# 'Tell us': entries texted from the person's number (linked to their contact until retention unlinks
# them), and any entry whose words hold their email address or mobile.
def _open_feedback(subject: Subject):
    return OpenFeedback.objects.filter(Q(contact__in=contacts_for(subject)) | text_q("text", subject))


def find_open_feedback(subject: Subject) -> list[dict]:
    found = rows(_open_feedback(subject).order_by("id"), "id", "source", "text", "received_at", "status")
    return withhold_held("feedback_loop.open_feedback", found, "text")


def erase_open_feedback(subject: Subject) -> int:
    """The link to the person goes and their addresses are taken out of the words; what was said stays
    (it may rest behind a published 'You said' item, which names nobody)."""
    unlinked = OpenFeedback.objects.filter(contact__in=contacts_for(subject)).update(contact=None)
    return unlinked + redact_field(OpenFeedback.objects.all(), "text", subject)


register_personal_data(
    "feedback_loop.open_feedback",
    label="What you told us on the Tell us form, by text or to our staff",
    find=find_open_feedback,
    erase=erase_open_feedback,
    models=[OpenFeedback],
)
