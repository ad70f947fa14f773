from dataclasses import dataclass

from ..choices import MessageStatus


@dataclass(frozen=True)
class SendResult:
    provider_ref: str
    status: str = MessageStatus.SENDING  # accepted by the provider; receipts move it on


class ProviderError(Exception):
    """A send that did not go through. `temporary` errors are retried with back-off."""

    def __init__(self, message, *, temporary, status=None, code="", suppress=False):
        super().__init__(message)
        self.temporary = temporary
        self.status = status or (
            MessageStatus.TECHNICAL_FAILURE if temporary else MessageStatus.PERMANENT_FAILURE
        )
        self.code = str(code or "")
        self.suppress = suppress
