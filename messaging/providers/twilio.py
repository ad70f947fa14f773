"""Twilio SMS through the real `twilio` client. In tests and benchmarks the client is pointed at a
local fake server with TWILIO_API_BASE_URL (client.api.base_url)."""

from django.conf import settings
from requests import ConnectionError as RequestsConnectionError
from requests import RequestException
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

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


def never_reached_twilio(error):
    """True only when the request certainly never reached Twilio: the connection was refused, the
    name did not resolve or connecting timed out (urllib3's NewConnectionError and ConnectTimeoutError,
    wrapped by requests in a ConnectionError or its ConnectTimeout). Then sending again cannot give
    anyone a second copy. A read timeout, or a connection reset or closed once the request was on its
    way, may come after Twilio accepted the text: those are not retried (see docs/messaging.md)."""
    if not isinstance(error, RequestsConnectionError):
        return False
    cause = error.args[0] if error.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ConnectTimeoutError)


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
        except RequestException as error:
            if never_reached_twilio(error):
                raise ProviderError(
                    f"Could not reach Twilio: {type(error).__name__}", temporary=True, code="unreachable"
                ) from error
            raise ProviderError(
                f"No answer from Twilio ({type(error).__name__}): it may have accepted the text, so it is "
                "not sent again; its delivery receipt will settle it",
                temporary=False,
                code="no_answer",
                maybe_sent=True,
            ) from error
        except TwilioException as error:  # raised by the client itself, before any request
            raise ProviderError(
                f"Could not send to Twilio: {type(error).__name__}", temporary=True
            ) from error
        return SendResult(provider_ref=created.sid, status=MessageStatus.SENDING)
