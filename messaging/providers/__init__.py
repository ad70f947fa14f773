"""Sending behind one small interface: `get_sms_provider()` / `get_email_provider()` return an object
with `name` and `send(message) -> SendResult`, raising ProviderError."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ProviderError, SendResult

SMS_PROVIDERS = {
    "outbox": "messaging.providers.outbox.OutboxSmsProvider",
    "twilio": "messaging.providers.twilio.TwilioSmsProvider",
}

_cache = {}


def get_sms_provider():
    name = settings.SMS_PROVIDER
    if name not in _cache:
        _cache[name] = import_string(SMS_PROVIDERS[name])()
    return _cache[name]


def get_email_provider():
    if "email" not in _cache:
        from .email import EmailProvider

        _cache["email"] = EmailProvider()
    return _cache["email"]


def reset_providers():
    """Forget cached provider clients (after settings change, e.g. in tests)."""
    _cache.clear()


__all__ = ["ProviderError", "SendResult", "get_email_provider", "get_sms_provider", "reset_providers"]
