"""Inbound texts kept on local disk while the database is unavailable (docs/messaging.md, "Inbound
texts while the database is down").

Twilio does not retry an inbound webhook: a text answered with a 500 is lost. So when storing a text
fails because the database cannot be reached, the webhook writes the signed request as it came (the
URL it was signed for, its parameters and the signature) to INBOUND_SPOOL_DIR, one file per MessageSid,
readable by this user only (it holds a phone number and what they wrote), and answers Twilio with an
empty reply. `process_inbound_spool` (cron, every minute) handles each file once the database is back,
exactly as the webhook would have, and sends the reply as an outbound service text.

Exactly once: a file is named by its MessageSid (the fallback URL delivering the same text again
writes the same file), `receive_sms` stores a MessageSid once and answers a repeat with the reply stored
the first time, and the reply text's idempotency key is the MessageSid, so a file handled again after a
crash between the commit and its removal sends nothing twice. Nothing about a text is ever logged."""

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from twilio.request_validator import RequestValidator

from parentvoice.text import clean_text

from ..choices import Channel
from .inbound import receive_sms
from .sending import send_service_message

logger = logging.getLogger(__name__)

# Twilio's SIDs are two letters and 32 hex digits; anything else never names a file.
SID_PATTERN = re.compile(r"[A-Za-z]{2}[0-9a-fA-F]{32}")
SUFFIX = ".json"
REFUSED = "refused"  # a file whose signature does not check out is moved here, never handled


@dataclass(frozen=True)
class SpoolRun:
    handled: int = 0
    refused: int = 0
    left: int = 0  # still in the spool: the database was still down, or handling one failed


def spool_dir() -> Path:
    return Path(settings.INBOUND_SPOOL_DIR)


def spool_inbound(*, url: str, params: dict[str, str], signature: str) -> bool:
    """Keep one signed inbound request on disk. False when its MessageSid is not a Twilio SID (then
    there is nothing to name it by, and nothing to keep it exactly once by)."""
    sid = params.get("MessageSid", "")
    if not SID_PATTERN.fullmatch(sid):
        return False
    directory = spool_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    payload = json.dumps({"url": url, "params": params, "signature": signature})
    # Written to a private temporary file and renamed into place, so a reader never sees half a file.
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".incoming-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / f"{sid}{SUFFIX}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def waiting_in_spool() -> int:
    directory = spool_dir()
    if not directory.is_dir():
        return 0
    return sum(1 for path in directory.iterdir() if path.name.endswith(SUFFIX) and path.is_file())


def process_inbound_spool() -> SpoolRun:
    """Handle every kept text, oldest first. Stops at the first database error (it is still down),
    leaving that file and the rest for the next run."""
    directory = spool_dir()
    if not directory.is_dir():
        return SpoolRun()
    paths = sorted(
        (path for path in directory.iterdir() if path.name.endswith(SUFFIX) and path.is_file()),
        key=lambda path: path.stat().st_mtime,
    )
    handled = refused = failed = 0
    for index, path in enumerate(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue  # handled by another run at the same time
        try:
            request = json.loads(text)
            url, params, signature = request["url"], request["params"], request["signature"]
            valid = _signature_is_valid(url, params, signature) and path.stem == params.get("MessageSid")
        except (ValueError, KeyError, TypeError, AttributeError):
            valid = False
        if not valid:
            if path.exists():
                (directory / REFUSED).mkdir(mode=0o700, exist_ok=True)
                os.replace(path, directory / REFUSED / path.name)
            refused += 1
            continue
        try:
            _handle(params)
        except (OperationalError, InterfaceError) as error:
            # Still down (or down again): this one and the rest wait for the next run. The class only
            # is logged: a database's message can quote the row's values (a phone number). Only these
            # two mean an outage (as in the webhook): an IntegrityError or DataError is this one text's
            # own failure, and must not hold up every later text at every run (below).
            logger.warning(
                "Inbound spool: database unavailable (%s); %d texts wait",
                type(error).__name__,
                len(paths) - index,
            )
            return SpoolRun(handled, refused, failed + len(paths) - index)
        except Exception as error:  # noqa: BLE001 - one text that fails must not hold up the others
            logger.error(
                "Inbound spool: a kept text failed (%s); it stays for the next run", type(error).__name__
            )
            failed += 1
            continue
        path.unlink(missing_ok=True)  # another run may have handled it at the same time
        handled += 1
    if handled or refused:
        logger.info("Inbound spool: %d kept texts handled, %d refused", handled, refused)
    return SpoolRun(handled, refused, failed)


def _signature_is_valid(url, params, signature):
    """Checked again here: the spool holds only what the webhook verified, but a file is trusted only
    with Twilio's own signature, never for being in the directory."""
    token = settings.TWILIO_AUTH_TOKEN
    if not (token and isinstance(url, str) and isinstance(signature, str) and isinstance(params, dict)):
        return False
    if not all(isinstance(value, str) for value in params.values()):
        return False
    return RequestValidator(token).validate(url, params, signature)


@transaction.atomic
def _handle(params):
    sid = params["MessageSid"]
    from_number = params.get("From", "")
    reply = receive_sms(
        provider_ref=sid, from_number=from_number, to_number=params.get("To", ""), body=params.get("Body", "")
    )
    if reply:
        # The TwiML reply went unsent (Twilio got an empty one): it goes now as a text of its own,
        # worded as it would have been, and forgotten from the outbox once sent (the inbound record
        # keeps it, and is wiped with it where answers must not be traceable).
        send_service_message(
            channel=Channel.SMS,
            recipient=clean_text(from_number).strip(),  # as receive_sms stores it
            body=reply,
            key=f"inbound-reply:{sid}",
            forget_after_send=True,
            as_written=True,
        )
