from anymail.signals import tracking
from django.dispatch import receiver

from . import services


def _text(value):
    """A field of the provider's JSON as text: a payload of the wrong shape must not raise here."""
    return value if isinstance(value, str) else ""


@receiver(tracking, dispatch_uid="messaging.email_tracking")
def email_tracking(sender, event, esp_name, **kwargs):
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    services.record_email_event(
        event_type=_text(event.event_type),
        message_id=_text(metadata.get("message_id")),
        provider_ref=_text(event.message_id),
        recipient=_text(event.recipient),
        reason=_text(event.reject_reason) or _text(event.description),
    )
