"""Signed ids for links sent to people without accounts (booking, membership): unguessable, never
expire, and the same every time they are made."""

from django.core import signing

from .text import is_ascii_digits


def sign_id(salt, object_id):
    return signing.Signer(salt=salt).sign(str(object_id))


def read_id(salt, token):
    """The id a token was made for, or None if it was not made by us with this salt."""
    try:
        value = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if is_ascii_digits(value) else None
