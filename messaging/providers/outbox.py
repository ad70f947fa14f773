"""The demo's SMS provider: nothing leaves the machine. Messages are visible in the admin, and a
delivery receipt arrives a few seconds later, as it would from Twilio.

Like GOV.UK Notify's test numbers, 07700 900002 fails permanently and 07700 900003 temporarily."""

from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import get_random_string

from ..choices import MessageStatus
from .base import SendResult

SIMULATED_OUTCOMES = {
    "+447700900002": MessageStatus.PERMANENT_FAILURE,
    "+447700900003": MessageStatus.TEMPORARY_FAILURE,
}
RECEIPT_DELAY = timedelta(seconds=3)


class OutboxSmsProvider:
    name = "outbox"

    def send(self, message):
        from ..tasks import simulate_delivery_receipt

        outcome = SIMULATED_OUTCOMES.get(message.recipient, MessageStatus.DELIVERED)
        task = simulate_delivery_receipt
        if task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + RECEIPT_DELAY)
        task.enqueue(message.pk, outcome)
        return SendResult(provider_ref="OUTBOX" + get_random_string(24), status=MessageStatus.SENT)
