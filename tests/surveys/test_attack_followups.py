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
    assert not FollowRequest.objects.exists()  # even a known address confirms this request first
    about_known = _told(stranger.get(done_url).content.decode())

    other = Client()
    done_url = _send(other, consultation)
    _tell(other, done_url, how=channel, **{field: new})
    assert AddressConfirmation.objects.count() == 2  # both addresses are sent a confirmation
    about_new = _told(other.get(done_url).content.decode())

    assert about_known == about_new


def _session_text(client) -> str:
    """Everything the session row in the database holds, as text."""
    from django.contrib.sessions.models import Session

    return str(Session.objects.get(session_key=client.session.session_key).get_decoded())


@pytest.mark.django_db
def test_an_anonymous_consultations_session_never_pairs_the_invited_parent_with_the_response(
    client, make_consultation
):
    from surveys.choices import Anonymity
    from surveys.models import Response
    from tests.factories import ContactFactory

    from .test_tell_me_web import _invited

    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    parent = ContactFactory(email="pat@example.org", mobile=None)
    done_url = _invited(client, page, parent)
    response = Response.objects.get()
    assert response.contact_id is None
    stored = _session_text(client)
    assert f"'response': {response.pk}" in stored  # kept for the copy of answers
    assert f"'contact': {parent.pk}" not in stored and "'contact': None" in stored

    # Their browser still lets them pick the address we hold (held, as anonymous requests are).
    body = client.get(done_url).content.decode()
    assert "By email to p•••@example.org" in body
    assert _tell(client, done_url, how="email").status_code == 302
    from messaging.models import HeldFollowRequest

    assert HeldFollowRequest.objects.get().contact == parent
    assert f"'contact': {parent.pk}" not in _session_text(client)
    assert "p•••@example.org" not in _session_text(client)


@pytest.mark.django_db
def test_a_forged_contact_cookie_is_ignored(client, make_consultation):
    from surveys.choices import Anonymity
    from tests.factories import ContactFactory

    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    victim = ContactFactory(email="victim@example.org", mobile=None)
    done_url = _send(client, page)
    client.cookies[f"pv-answered-{page.pk}"] = str(victim.pk)
    body = client.get(done_url).content.decode()
    assert "v•••@example.org" not in body and 'name="tell-email"' in body


@pytest.mark.django_db
def test_texting_yes_again_and_again_gets_one_already_asked_reply_an_hour(
    client, settings, keyword_consultation
):
    from .test_sms_tell_me import ANSWERS, FOLLOWING
    from .texting import text

    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "sms_help": "1/h/key"}

    def say(body):
        return text(client, settings, body)

    say("SUPPORT")
    for reply in ANSWERS:
        say(reply)
    assert say("YES") == FOLLOWING
    assert say("YES").startswith("You have already asked")
    # Every reply is a text we pay for: a loop of YESes (or an auto-reply) gets nothing more.
    assert [say("YES") for _ in range(5)] == [""] * 5
    assert FollowRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("closes", "now", "words"),
    [
        # A consultation closing at 00:00 on 2 December closes tonight (1 December), not "tomorrow".
        ("2026-12-02 00:00", "2026-12-01 10:00", "midnight tonight"),
        # The same across the clocks going back (BST to GMT on 25 October 2026).
        ("2026-10-26 00:00", "2026-10-25 09:30", "midnight tonight"),
        ("2026-12-02 09:00", "2026-12-01 10:00", "9am tomorrow"),
        ("2026-12-01 21:00", "2026-12-01 10:00", "9pm today"),
    ],
)
def test_the_carry_on_reminder_says_when_it_really_closes(closes, now, words):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from surveys.sms_reminders import closing_words

    london = ZoneInfo("Europe/London")

    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=london)

    assert closing_words(at(closes), at(now)) == words
