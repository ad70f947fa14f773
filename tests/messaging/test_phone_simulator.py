"""The phone simulator is for staff who may read texts received, and outside the demo only with Ofcom's
drama numbers (07700 900000 to 07700 900999): nobody reads a real parent's texts or texts STOP as them."""

import pytest

from messaging import simulator
from messaging.models import InboundMessage
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS, FORUM_COORDINATORS

pytestmark = pytest.mark.django_db

URL = "/admin/messaging/phone-simulator/"
REAL = "+447400123456"


@pytest.fixture
def sent(monkeypatch):
    """Record what the simulator would post to the webhook instead of posting it."""
    calls = []

    def send_text(phone, body, timeout=10):
        calls.append((phone, body))
        return simulator.Delivery(200, "<Response />", ())

    monkeypatch.setattr(simulator, "send_text", send_text)
    return calls


@pytest.mark.parametrize("role", [DECISION_MAKERS, FORUM_COORDINATORS])
def test_staff_who_may_not_read_texts_cannot_use_it(client, staff_login, sent, role):
    staff_login(role)
    InboundMessage.objects.create(provider_ref="SM1", from_number="+447700900123", body="my secret")
    for response in [client.get(URL), client.post(URL, {"phone": "07700 900123", "body": "STOP"})]:
        # Wagtail sends a refused user back to the dashboard
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert sent == []
    assert URL not in client.get("/admin/").content.decode()  # nor is it in the menu


def test_officers_who_read_texts_see_it_in_the_menu(client, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    assert URL in client.get("/admin/").content.decode()


def test_outside_the_demo_a_real_number_is_refused_with_a_clear_error(client, settings, staff_login, sent):
    settings.SMS_SIMULATOR_ANY_NUMBER = False
    staff_login(CONSULTATION_OFFICERS)
    InboundMessage.objects.create(provider_ref="SM1", from_number=REAL, body="a real parent's answer")
    response = client.post(URL, {"phone": "07400 123456", "body": "STOP"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use a number from 07700 900000 to 07700 900999" in page
    assert "a real parent&#x27;s answer" not in page and "a real parent's answer" not in page
    assert sent == []
    page = client.get(URL, {"phone": REAL}).content.decode()
    assert "Use a number from 07700 900000 to 07700 900999" in page
    assert "real parent" not in page


@pytest.mark.parametrize("phone", ["07700 900000", "+447700900999", "07700900123"])
def test_drama_numbers_are_allowed(client, settings, staff_login, sent, phone):
    settings.SMS_SIMULATOR_ANY_NUMBER = False
    staff_login(CONSULTATION_OFFICERS)
    response = client.post(URL, {"phone": phone, "body": "SUPPORT"})
    assert response.status_code == 302
    assert sent == [(simulator.normalise_phone(phone), "SUPPORT")]


@pytest.mark.parametrize("phone", ["+447700901000", "+447700800123", "+4477009001234", "+447700900"])
def test_numbers_next_to_the_drama_range_are_not_drama_numbers(phone):
    assert not simulator.is_drama_number(phone)


def test_the_demo_may_use_any_number(client, settings, staff_login, sent):
    settings.SMS_SIMULATOR_ANY_NUMBER = True
    staff_login(CONSULTATION_OFFICERS)
    assert client.post(URL, {"phone": "07400 123456", "body": "SUPPORT"}).status_code == 302
    assert sent == [(REAL, "SUPPORT")]
