"""Keying a paper response that asked to be told what we decide: saved with the response, the
address confirmed first (or held, on an anonymous consultation), and the officer told which."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages

from messaging.choices import Channel, FollowRoute, Purpose
from messaging.models import AddressConfirmation, FollowRequest, HeldFollowRequest, Message
from parentvoice.accounts import roles
from surveys import follow_up, services
from surveys.choices import Anonymity
from surveys.models import Response
from tests.factories import ConsentingParentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff_login):
    return staff_login(roles.CONSULTATION_OFFICERS)


def _answers(page):
    ids = {q.code: q.id for q in services.schema_for(page)}
    return {
        ids["first-place"]: "school",
        ids["ease"]: "3",
        ids["would-help"]: ["money"],
        ids["forum"]: "yes",
        ids["how-asked"]: "phone",
    }


def _post(client, page, **tell):
    return client.post(f"/admin/consultations/{page.pk}/paper/", {**_answers(page), **tell}, follow=False)


def _said(client, response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_form_asks_and_no_is_the_default(client, officer, consultation):
    html = client.get(f"/admin/consultations/{consultation.pk}/paper/").content.decode()
    assert "Did they ask to be told what we decide?" in html
    response = _post(client, consultation)
    assert response.status_code == 302
    assert Response.objects.count() == 1
    assert not (AddressConfirmation.objects.exists() or FollowRequest.objects.exists())
    assert _said(client, response) == "Paper response saved. You can enter the next one."


def test_by_email_sends_a_confirmation_and_says_so(client, officer, consultation):
    response = _post(client, consultation, tell_me="email", tell_email="Parent@Example.org")
    assert Response.objects.get().channel == "paper"
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.channel, confirmation.address) == (Channel.EMAIL, "parent@example.org")
    assert confirmation.follow_up == f"follow:paper:consultation:{consultation.pk}"
    assert confirmation.wording == follow_up.paper_wording(consultation.title)
    assert Message.objects.get().recipient == "parent@example.org"
    assert "A confirmation was sent to p•••@example.org" in _said(client, response)
    assert not FollowRequest.objects.exists()


def test_by_text_normalises_the_number(client, officer, consultation):
    response = _post(client, consultation, tell_me="sms", tell_mobile="07700 900 301", tell_email="x")
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.channel, confirmation.address) == (Channel.SMS, "+447700900301")
    assert "A confirmation was sent to 07••• •••301" in _said(client, response)


def test_a_number_that_already_gets_outcomes_still_confirms_first(client, officer, consultation):
    ConsentingParentFactory(mobile="+447700900302", consents=[(Channel.SMS, Purpose.OUTCOMES)])
    response = _post(client, consultation, tell_me="sms", tell_mobile="07700900302")
    assert not FollowRequest.objects.exists()
    assert AddressConfirmation.objects.get().address == "+447700900302"
    assert "A confirmation was sent to" in _said(client, response)
    # A paper response names nobody, even when the address is known.
    assert Response.objects.get().contact is None


def test_anonymous_consultation_holds_the_request(client, officer, make_consultation):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    response = _post(client, page, tell_me="email", tell_email="parent@example.org")
    held = HeldFollowRequest.objects.get()
    assert (held.address, held.route) == ("parent@example.org", FollowRoute.PAPER)
    assert not AddressConfirmation.objects.exists()
    assert "held until" in _said(client, response)


@pytest.mark.parametrize(
    ("tell", "error"),
    [
        ({"tell_me": "email", "tell_email": ""}, "Enter the email address they wrote down"),
        ({"tell_me": "email", "tell_email": "nope"}, "Enter an email address in the right format"),
        ({"tell_me": "sms", "tell_mobile": ""}, "Enter the mobile number they wrote down"),
        ({"tell_me": "sms", "tell_mobile": "01632 960 001"}, "mobile"),
    ],
)
def test_a_missing_or_wrong_address_saves_nothing(client, officer, consultation, tell, error):
    response = _post(client, consultation, **tell)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Response.objects.exists() and not AddressConfirmation.objects.exists()


def test_the_response_and_the_request_are_saved_together_or_not_at_all(client, officer, consultation):
    with (
        mock.patch("messaging.services.request_follow", side_effect=RuntimeError("provider down")),
        pytest.raises(RuntimeError),
    ):
        _post(client, consultation, tell_me="email", tell_email="parent@example.org")
    assert not Response.objects.exists()
