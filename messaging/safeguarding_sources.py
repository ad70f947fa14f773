"""This app's free text, registered with parentvoice.safeguarding (see its registry).

"messaging.inbound" is every text message received (InboundMessage), screened as it is stored. When
an app saves a text's words as a lasting record (surveys' answers), it calls `transfer_case`: the case
keeps naming the text (and the number it came from) and holds the record too.
"""

from __future__ import annotations

from django.urls import reverse

from parentvoice.safeguarding.registry import SourceDetails, SourceText, register_source

from .models import InboundMessage

KIND = "messaging.inbound"
LABEL = "Text message received"


def load(source_id: int) -> SourceText | None:
    inbound = InboundMessage.objects.filter(pk=source_id).only("body", "received_at").first()
    if inbound is None:
        return None
    return SourceText(text=inbound.body, arrived_at=inbound.received_at, label=LABEL)


def details(source_id: int) -> SourceDetails | None:
    inbound = InboundMessage.objects.filter(pk=source_id).only("from_number").first()
    if inbound is None:
        return None
    return SourceDetails(
        label=LABEL,
        admin_url=reverse("wagtailsnippets_messaging_inboundmessage:inspect", args=[inbound.pk]),
        contact=[("Mobile (texted from)", inbound.from_number)] if inbound.from_number else [],
    )


def can_flag(user, source_id: int) -> bool:
    return bool(
        user.is_active
        and user.has_perm("messaging.view_inboundmessage")
        and InboundMessage.objects.filter(pk=source_id).exists()
    )


register_source(KIND, load=load, details=details, can_flag=can_flag)
