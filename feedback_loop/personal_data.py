"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Quotes are parents' words with anything identifying taken out before publishing, so they should hold
no address; any that does is found, and erasure replaces the address by "[removed]"."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Revision

from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import redact_field, redact_json_field, rows, text_q

from .models import FeedbackItem, FeedbackQuote


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
