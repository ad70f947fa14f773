"""The phone simulator for demos: text the service as a parent would, through the real inbound webhook.

Each text is a real HTTP POST to our own `/messaging/twilio/inbound/` at PUBLIC_BASE_URL, signed with
TWILIO_AUTH_TOKEN exactly as Twilio signs it, so the simulator exercises the signature check, duplicate
detection, STOP handling and every registered handler. Off unless SMS_SIMULATOR_ENABLED (on in
`make demo`); only for staff who may read texts received (messaging.view_inboundmessage); and outside the
demo (SMS_SIMULATOR_ANY_NUMBER, on only in dev settings) only with Ofcom's drama numbers, so nobody can read
a real parent's texts or text STOP as them."""

import re
import secrets
from dataclasses import dataclass
from xml.etree import ElementTree

import phonenumbers
import requests
from django.conf import settings
from django.urls import reverse
from twilio.request_validator import RequestValidator

from .models import InboundMessage

DEFAULT_PHONE = "+447700900123"  # Ofcom's range for drama: never a real person's number
SERVICE_NUMBER = "+447700900000"
PERMISSION = "messaging.view_inboundmessage"  # reading texts received
# Ofcom's drama range: 07700 900000 to 07700 900999.
DRAMA_NUMBER = re.compile(r"\+447700900\d{3}")


class SimulatorError(Exception):
    pass


@dataclass(frozen=True)
class Delivery:
    status: int
    twiml: str
    replies: tuple[str, ...]


def normalise_phone(raw):
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException as error:
        raise SimulatorError("Enter a phone number, like 07700 900123") from error
    if not phonenumbers.is_possible_number(number):
        raise SimulatorError("Enter a phone number, like 07700 900123")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_drama_number(phone):
    return bool(DRAMA_NUMBER.fullmatch(phone or ""))


def check_phone_allowed(phone):
    """Outside the demo the simulator reads and texts only as a drama number, never a real person."""
    if not settings.SMS_SIMULATOR_ANY_NUMBER and not is_drama_number(phone):
        raise SimulatorError(
            "Use a number from 07700 900000 to 07700 900999. Outside the demo the phone simulator only "
            "uses these drama numbers, which belong to nobody."
        )


def send_text(phone, body, timeout=10):
    """POST one signed inbound text to our webhook; return what it answered."""
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("messaging:twilio_inbound")
    params = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": settings.TWILIO_ACCOUNT_SID or "AC" + "0" * 32,
        "From": phone,
        "To": settings.SMS_SERVICE_NUMBER or SERVICE_NUMBER,
        "Body": body,
        "NumSegments": "1",
    }
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    try:
        response = requests.post(
            url,
            data=params,
            headers={"X-Twilio-Signature": signature},
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise SimulatorError(
            f"Could not reach the webhook at {url} ({error}). PUBLIC_BASE_URL must be where this site runs."
        ) from error
    replies = _replies(response.text) if response.status_code == 200 else ()
    return Delivery(response.status_code, response.text, replies)


def _replies(twiml):
    try:
        root = ElementTree.fromstring(twiml)  # noqa: S314 - the TwiML our own webhook just returned
    except ElementTree.ParseError:
        return ()
    return tuple(message.text or "" for message in root.iter("Message"))


def thread(phone, limit=40):
    """The latest texts from this phone and our replies, oldest first."""
    latest = InboundMessage.objects.filter(from_number=phone).order_by("-received_at", "-pk")[:limit]
    return list(reversed(latest))
