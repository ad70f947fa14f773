"""This app's free text, registered with parentvoice.safeguarding (see its registry).

"parentvoice.site_feedback" is what someone wrote in the website feedback form (SiteFeedback): what
they were trying to do and how we could make it better, screened together as they arrive.
"""

from __future__ import annotations

from django.urls import reverse

from .models import SiteFeedback
from .safeguarding.registry import SourceDetails, SourceText, register_source

KIND = "parentvoice.site_feedback"
LABEL = "Website feedback"


def _text(feedback: SiteFeedback) -> str:
    return "\n\n".join(part for part in (feedback.trying_to_do, feedback.improve) if part.strip())


def load(source_id: int) -> SourceText | None:
    feedback = SiteFeedback.objects.filter(pk=source_id).first()
    if feedback is None:
        return None
    return SourceText(text=_text(feedback), arrived_at=feedback.created_at, label=LABEL)


def details(source_id: int) -> SourceDetails | None:
    feedback = SiteFeedback.objects.filter(pk=source_id).only("email").first()
    if feedback is None:
        return None
    return SourceDetails(
        label=LABEL,
        admin_url=reverse("site_feedback:inspect", args=[feedback.pk]),
        contact=[("Email for a reply", feedback.email)] if feedback.email else [],
    )


def can_flag(user, source_id: int) -> bool:
    return bool(
        user.is_active
        and user.has_perm("parentvoice.view_sitefeedback")
        and SiteFeedback.objects.filter(pk=source_id).exists()
    )


register_source(KIND, load=load, details=details, can_flag=can_flag)
