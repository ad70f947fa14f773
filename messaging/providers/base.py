from dataclasses import dataclass

from ..choices import MessageStatus


@dataclass(frozen=True)
class SendResult:
    provider_ref: str
    status: str = MessageStatus.SENDING  # accepted by the provider; receipts move it on


class ProviderError(Exception):
    """A send that did not go through, or may not have. `temporary` errors are retried with back-off.

    `maybe_sent` means the request may have reached the provider before it failed (a read timeout, a
    connection reset after the request went out): the provider may have accepted the message, so it
    is never sent again; it stays `sending` until the provider's delivery receipt settles it."""

    def __init__(self, message, *, temporary, status=None, code="", suppress=False, maybe_sent=False):
        super().__init__(message)
        self.temporary = temporary and not maybe_sent
        self.maybe_sent = maybe_sent
        self.status = status or (
            MessageStatus.TECHNICAL_FAILURE if temporary else MessageStatus.PERMANENT_FAILURE
        )
        self.code = str(code or "")
        self.suppress = suppress
