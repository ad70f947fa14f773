"""How inbound text messages leave the messaging app without it importing anyone else.

Other apps register handlers (surveys registers its keywords and its dialogue). Opt-out words are
handled by messaging itself before any handler sees the message.
"""

from dataclasses import dataclass

from django.dispatch import Signal

# Sent after every inbound text is stored and handled: kwargs `event` (InboundSms) and `reply` (str | None).
inbound_sms = Signal()


@dataclass(frozen=True)
class InboundSms:
    inbound_message_id: int
    provider_ref: str
    from_number: str  # E.164
    to_number: str
    body: str
    contact_id: int | None
    suppressed: bool = False  # the number had texted STOP (read before this text was handled)

    @property
    def words(self):
        return self.body.strip().split()

    @property
    def first_word(self):
        return self.words[0].upper() if self.words else ""


class InboundSmsRegistry:
    """Keyword handlers run when the first word matches; fallback handlers run in order otherwise.
    A handler returns the reply text, or None to let the next handler try."""

    def __init__(self):
        self._keywords = {}
        self._fallbacks = []

    def register_keyword(self, keyword, handler):
        self._keywords[keyword.upper()] = handler

    def unregister_keyword(self, keyword):
        self._keywords.pop(keyword.upper(), None)

    def register_fallback(self, handler):
        if handler not in self._fallbacks:
            self._fallbacks.append(handler)

    def unregister_fallback(self, handler):
        if handler in self._fallbacks:
            self._fallbacks.remove(handler)

    def dispatch(self, event):
        handler = self._keywords.get(event.first_word)
        if handler is not None:
            reply = handler(event)
            if reply is not None:
                return reply, getattr(handler, "__qualname__", "keyword")
        for handler in self._fallbacks:
            reply = handler(event)
            if reply is not None:
                return reply, getattr(handler, "__qualname__", "fallback")
        return None, ""


registry = InboundSmsRegistry()


# Sent inside the transaction that confirms an address (kwargs `confirmation`, `contact`). A receiver
# acts on `confirmation.follow_up` (e.g. "forum:12") and may return a URL to send the person on to.
address_confirmed = Signal()
