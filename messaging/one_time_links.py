"""What the one-time link pages share (a parent's own page, save and come back later): reading the
email address or UK mobile someone typed, spelt as every form stores it, and the link's token, of
which only a hash is ever kept."""

import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from parentvoice.phones import InvalidMobile, uk_mobile
from parentvoice.text import clean_text

from .choices import Channel

ADDRESS_MAX_LENGTH = 254
NOT_AN_ADDRESS = "Enter an email address, like name@example.com, or a UK mobile number, like 07700 900 982"
BAD_EMAIL = "Enter an email address in the right format, like name@example.com"
TOO_LONG = f"Enter an email address or mobile number that is {ADDRESS_MAX_LENGTH} characters or fewer"
_PHONE_CHARACTERS = re.compile(r"[0-9+()\s.-]+")
# `secrets.token_urlsafe(32)`: 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class AddressProblem(ValueError):
    """The message says what to do, in words for the person who typed the address."""


def parse_address(text: str) -> tuple[str, str]:
    """(channel, address) for what someone typed: an email address (lower-cased, as every form stores
    them) or a UK mobile in +44 form. AddressProblem says what is wrong."""
    text = clean_text(text or "").strip()
    if not text:
        raise AddressProblem(NOT_AN_ADDRESS)
    if len(text) > ADDRESS_MAX_LENGTH:
        raise AddressProblem(TOO_LONG)
    if "@" in text:
        email = text.replace(" ", "").lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise AddressProblem(BAD_EMAIL) from error
        return Channel.EMAIL, email
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise AddressProblem(NOT_AN_ADDRESS)
    try:
        return Channel.SMS, uk_mobile(text)
    except InvalidMobile as error:
        raise AddressProblem(str(error)) from error


def clean_address(form) -> str:
    """The `clean_address` of a form asking for one address (`clean_address = clean_address`): the
    address as stored, its channel kept on the form as `channel`, or a ValidationError saying what
    to do."""
    try:
        form.channel, address = parse_address(form.cleaned_data["address"])
    except AddressProblem as error:
        raise ValidationError(str(error), code="invalid") from error
    return address


def address_rate_key(text: str) -> str | None:
    """The per-address rate limit's key ("email:…" or "sms:+44…", as every public form counts them),
    or None if the text is not an address."""
    try:
        channel, address = parse_address(text)
    except AddressProblem:
        return None
    return f"{channel}:{address}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_has_shape(token: str | None) -> bool:
    return bool(TOKEN_SHAPE.fullmatch(token or ""))
