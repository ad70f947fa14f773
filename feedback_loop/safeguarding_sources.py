"""This app's free text, registered with parentvoice.safeguarding (see its registry).

"feedback_loop.quote" is a parent's words quoted on a 'You said' item (FeedbackQuote). Each quote with
words in it is screened when it is saved; one held for safeguarding review is left out of the public
log, the decision page, the feeds and briefings (see services.items.publishable_quotes). A quote edited
after its case was closed is not screened again on its own: flag it by hand if need be.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from parentvoice.safeguarding.registry import SourceDetails, SourceText, register_source
from parentvoice.safeguarding.services import screen_in_a_task

from .models import FeedbackQuote

KIND = "feedback_loop.quote"


def _quote(source_id: int) -> FeedbackQuote | None:
    return FeedbackQuote.objects.select_related("item").filter(pk=source_id).first()


def _label(quote: FeedbackQuote) -> str:
    summary = " ".join(quote.item.summary.split())
    if len(summary) > 80:
        summary = summary[:79].rstrip() + "…"
    return f"Draft quote: {summary}" if not quote.approved else f"Quote: {summary}"


def load(source_id: int) -> SourceText | None:
    quote = _quote(source_id)
    if quote is None:
        return None
    # A quote keeps no time of its own: its item's is the nearest.
    return SourceText(
        text=quote.text, arrived_at=quote.item.created_at or timezone.now(), label=_label(quote)
    )


def details(source_id: int) -> SourceDetails | None:
    quote = _quote(source_id)
    if quote is None:
        return None
    # A quote names nobody (the officer removes anything that could identify someone).
    return SourceDetails(
        label=_label(quote),
        admin_url=reverse("wagtailsnippets_feedback_loop_feedbackitem:edit", args=[quote.item_id]),
    )


def can_flag(user, source_id: int) -> bool:
    return bool(
        user.is_active
        and user.has_perm("feedback_loop.change_feedbackitem")
        and FeedbackQuote.objects.filter(pk=source_id).exists()
    )


@receiver(post_save, sender=FeedbackQuote, dispatch_uid="feedback_loop.screen_quote")
def _quote_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.text.strip():
        screen_in_a_task(KIND, instance.pk)


register_source(KIND, load=load, details=details, can_flag=can_flag)


# "feedback_loop.open_feedback": what a parent told us on the 'Tell us' form, by text or to an officer
# (OpenFeedback). Screened as it is stored (services.tell_us); a held entry's text is hidden from the
# triage list and it cannot be triaged until a lead releases it.
OPEN_FEEDBACK = "feedback_loop.open_feedback"


def _entry(source_id: int):
    from .models import OpenFeedback

    return OpenFeedback.objects.filter(pk=source_id).first()


def load_open_feedback(source_id: int) -> SourceText | None:
    entry = _entry(source_id)
    if entry is None:
        return None
    return SourceText(
        text=entry.text,
        arrived_at=entry.received_at,
        label=f"Tell us {entry.reference} ({entry.get_source_display()})",
    )


def open_feedback_details(source_id: int) -> SourceDetails | None:
    entry = _entry(source_id)
    if entry is None:
        return None
    contact = [("Mobile", entry.contact.mobile)] if entry.contact_id and entry.contact.mobile else []
    return SourceDetails(
        label=f"Tell us {entry.reference} ({entry.get_source_display()})",
        admin_url=reverse("tell_us_entry", args=[entry.pk]),
        contact=contact,
    )


def can_flag_open_feedback(user, source_id: int) -> bool:
    return bool(user.is_active and user.has_perm("feedback_loop.view_openfeedback") and _entry(source_id))


register_source(
    OPEN_FEEDBACK, load=load_open_feedback, details=open_feedback_details, can_flag=can_flag_open_feedback
)
