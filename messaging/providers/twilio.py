"""Twilio SMS through the real `twilio` client. In tests and benchmarks the client is pointed at a
local fake server with TWILIO_API_BASE_URL (client.api.base_url)."""

from django.conf import settings
from requests import RequestException
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..choices import MessageStatus
from .base import ProviderError, SendResult

# REST API error codes (when creating a message) that mean the number will never work.
PERMANENT_REST_CODES = {
    21211: "Invalid phone number",
    21214: "Phone number cannot be reached",
    21408: "Sending to this region is not enabled",
    21610: "The person has replied STOP to this number",
    21612: "Cannot send between these numbers",
    21614: "Not a mobile number",
}
RETRYABLE_REST_CODES = {20429, 20500, 20503, 30001}

# Delivery receipt error codes (status callbacks): Notify's vocabulary.
CALLBACK_ERRORS = {
    "30001": MessageStatus.TECHNICAL_FAILURE,  # queue overflow
    "30002": MessageStatus.TECHNICAL_FAILURE,  # account suspended
    "30003": MessageStatus.TEMPORARY_FAILURE,  # handset unreachable (off, no signal)
    "30004": MessageStatus.PERMANENT_FAILURE,  # message blocked
    "30005": MessageStatus.PERMANENT_FAILURE,  # unknown destination handset
    "30006": MessageStatus.PERMANENT_FAILURE,  # landline or unreachable carrier
    "30007": MessageStatus.PERMANENT_FAILURE,  # filtered by the carrier
    "30008": MessageStatus.TEMPORARY_FAILURE,  # unknown error
    "30034": MessageStatus.PERMANENT_FAILURE,  # unregistered sender
    "21610": MessageStatus.PERMANENT_FAILURE,  # recipient opted out
}
CALLBACK_STATUSES = {
    "queued": MessageStatus.SENDING,
    "accepted": MessageStatus.SENDING,
    "scheduled": MessageStatus.SENDING,
    "sending": MessageStatus.SENDING,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "canceled": MessageStatus.TECHNICAL_FAILURE,
}


def status_from_callback(twilio_status, error_code=""):
    """Map a Twilio MessageStatus (+ ErrorCode) to ours; None for statuses we do not track."""
    twilio_status = (twilio_status or "").lower()
    if twilio_status in {"undelivered", "failed"}:
        default = (
            MessageStatus.TEMPORARY_FAILURE
            if twilio_status == "undelivered"
            else MessageStatus.PERMANENT_FAILURE
        )
        return CALLBACK_ERRORS.get(str(error_code or ""), default)
    return CALLBACK_STATUSES.get(twilio_status)


class TwilioSmsProvider:
    name = "twilio"

    def __init__(self):
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS),
        )
        if settings.TWILIO_API_BASE_URL:
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, message):
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        try:
            created = self.client.messages.create(
                to=message.recipient,
                body=message.body,
                status_callback=f"{settings.WAGTAILADMIN_BASE_URL}/messaging/twilio/status/?m={message.pk}",
                **sender,
            )
        except TwilioRestException as error:
            temporary = error.status == 429 or error.status >= 500 or error.code in RETRYABLE_REST_CODES
            reason = PERMANENT_REST_CODES.get(error.code, f"Twilio error {error.code or error.status}")
            raise ProviderError(
                reason, temporary=temporary, code=error.code or error.status, suppress=error.code == 21610
            ) from error
        except (RequestException, TwilioException) as error:
            raise ProviderError(f"Could not reach Twilio: {type(error).__name__}", temporary=True) from error
        return SendResult(provider_ref=created.sid, status=MessageStatus.SENDING)
