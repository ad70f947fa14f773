"""Email through Django's email backend; in production an anymail ESP backend. Each message carries
our Message id as anymail metadata so tracking events map back to it."""

from smtplib import SMTPException

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import BadHeaderError

from ..choices import MessageStatus
from .base import ProviderError, SendResult


class EmailProvider:
    name = "email"

    def send(self, message, *, headers=None):
        if any(char in message.subject for char in "\r\n"):
            # Django would refuse to build it (BadHeaderError), and an ESP's API might not: a line
            # break in a header is how one header becomes two. Forms and imports make names single-line.
            raise self.cannot_build("its subject has a line break in it")
        email = AnymailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers=headers or {},
            metadata={"message_id": str(message.pk)},
            tags=[message.purpose or "message"],
        )
        try:
            email.send()
        except BadHeaderError as error:
            raise self.cannot_build("a header has a line break in it") from error
        except AnymailRecipientsRefused as error:
            raise ProviderError("The email provider refused this address", temporary=False) from error
        except AnymailAPIError as error:
            status = getattr(error, "status_code", None) or 0
            raise ProviderError(
                f"Email provider error {status}",
                temporary=status == 429 or status >= 500 or status == 0,
                code=status,
            ) from error
        except (SMTPException, OSError) as error:
            raise ProviderError(f"Could not send email: {type(error).__name__}", temporary=True) from error
        anymail_status = getattr(email, "anymail_status", None)
        ref = getattr(anymail_status, "message_id", None) or f"local-{message.pk}"
        return SendResult(provider_ref=str(ref), status=MessageStatus.SENT)

    @staticmethod
    def cannot_build(reason):
        return ProviderError(
            f"The email could not be built: {reason}",
            temporary=False,
            status=MessageStatus.TECHNICAL_FAILURE,
            code="bad_header",
        )
