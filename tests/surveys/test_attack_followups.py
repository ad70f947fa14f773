"""Attack review of issue 14 (surveys): what a stranger who knows a parent's address can learn from
'Tell me what you decide', and what withdrawal leaves behind."""

import re

import pytest

from messaging.choices import Channel, Purpose
from messaging.models import AddressConfirmation, FollowRequest
from tests.factories import ConsentingParentFactory

from .test_tell_me_web import _send, _tell


def _told(body: str) -> str:
    """The inset text under "Tell me what you decide", with the masked address taken out."""
    text = re.search(r'id="tell">.*?<div class="govuk-inset-text">(.*?)</div>', body, re.S).group(1)
    return re.sub(r"\S+@example\.org|07\S+ \S+", "<address>", text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "known", "new", "field"),
    [
        (Channel.EMAIL, "known@example.org", "fresh@example.org", "email"),
        (Channel.SMS, "+447700900301", "07700900302", "mobile"),
    ],
)
def test_the_done_page_does_not_say_whether_a_typed_address_already_gets_outcomes(
    client, consultation, channel, known, new, field
):
    from django.test import Client

    address = {"email": known} if channel == Channel.EMAIL else {"mobile": known}
    ConsentingParentFactory(**address, consents=[(channel, Purpose.OUTCOMES)])

    stranger = client
    done_url = _send(stranger, consultation)
    _tell(stranger, done_url, how=channel, **{field: known})
    assert FollowRequest.objects.count() == 1  # recorded at once: they agreed to outcomes already
    about_known = _told(stranger.get(done_url).content.decode())

    other = Client()
    done_url = _send(other, consultation)
    _tell(other, done_url, how=channel, **{field: new})
    assert AddressConfirmation.objects.count() == 1  # a new address is confirmed first
    about_new = _told(other.get(done_url).content.decode())

    assert about_known == about_new
