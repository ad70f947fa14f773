"""#19 attack review: the inbound SMS spool (messaging.services.inbound_spool) and resume_sending.

Each test here is a bug found by trying to break what #19 added, fixed with it."""

import os

import pytest

from messaging.models import InboundMessage
from tests.messaging.test_inbound_spool import _kept, _params, _post, _process, database_down

pytestmark = pytest.mark.django_db

BROKEN_SID = "SM" + "a" * 32
LATER_SID = "SM" + "b" * 32


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    settings.INBOUND_SPOOL_DIR = tmp_path / "spool"
    return settings.INBOUND_SPOOL_DIR


def test_a_kept_text_failing_with_a_database_error_of_its_own_holds_up_no_other(client, settings, spool):
    """Only a database that cannot be reached stops a run: a text that breaks a constraint (or is too
    long for a column) fails alone, as any other error does, and the texts after it are handled."""
    from messaging.signals import registry

    def broken(event):
        # A handler bug that breaks a constraint (any IntegrityError or DataError would do): the
        # database is up, answering, and will refuse this one text the same way at every run.
        InboundMessage.objects.create(provider_ref=event.provider_ref, from_number=event.from_number)
        raise AssertionError("not reached")  # pragma: no cover

    with database_down():
        _post(client, settings, _params("BROKEN", sid=BROKEN_SID))
        _post(client, settings, _params("HELP", sid=LATER_SID))
    # The broken text is the older one, so it comes first in every run.
    os.utime(spool / f"{BROKEN_SID}.json", (1_000_000_000, 1_000_000_000))
    registry.register_keyword("BROKEN", broken)
    try:
        _process()
        output = _process()  # and the next run alike
    finally:
        registry.unregister_keyword("BROKEN")
    assert list(InboundMessage.objects.values_list("provider_ref", flat=True)) == [LATER_SID]
    assert _kept(spool) == [f"{BROKEN_SID}.json"]
    assert "1 still waiting" in output
