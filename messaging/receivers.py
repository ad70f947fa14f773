from anymail.signals import tracking
from django.dispatch import receiver

from . import services


@receiver(tracking, dispatch_uid="messaging.email_tracking")
def email_tracking(sender, event, esp_name, **kwargs):
    services.record_email_event(
        event_type=event.event_type,
        message_id=(event.metadata or {}).get("message_id"),
        provider_ref=event.message_id or "",
        recipient=event.recipient or "",
        reason=event.reject_reason or event.description or "",
    )
