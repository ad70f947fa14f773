"""'Tell me what you decide' on the web confirmation page: open links type an address (confirmed
first), invited parents pick one we hold (their link proved it), people told anyway are told so, and
anonymous consultations hold the request until the next release."""

import html
import re

import pytest
from django.test import Client

from messaging.choices import Channel, ConfirmedBy, FollowRoute, Purpose
from messaging.models import AddressConfirmation, Contact, FollowRequest, HeldFollowRequest, Message
from surveys import follow_up, services
from surveys.choices import Anonymity
from tests.factories import ConsentingParentFactory, ContactFactory

from .test_answering import REPLIES, _answer_all


def _send(client, page):
    _answer_all(client, page, REPLIES)
    return client.post(f"/consultations/{page.pk}/check-your-answers/")["Location"]


def _invited(client, page, contact):
    token = services.invitation_token(page.pk, contact.pk)
    client.get(f"/consultations/{page.pk}/invitation/{token}/")
    return _send(client, page)


def _tell(client, done_url, **data):
    return client.post(done_url, {"form": "tell", **{f"tell-{k}": v for k, v in data.items()}})


def _nothing_written():
    return not (
        FollowRequest.objects.exists()
        or HeldFollowRequest.objects.exists()
        or AddressConfirmation.objects.exists()
        or Message.objects.exists()
    )


@pytest.mark.django_db
def test_open_link_by_email_sends_a_link_to_confirm_with_the_wording_shown(client, consultation):
    done_url = _send(client, consultation)
    page = html.unescape(client.get(done_url).content.decode())
    assert "Tell me what you decide" in page and follow_up.web_wording(consultation.title) in page
    assert 'value="email"' in page and 'value="sms"' in page and 'value="no"' in page

    answered = _tell(client, done_url, how="email", email="Parent@Example.org ")
    assert answered.status_code == 302 and answered["Location"].endswith("#tell")

    confirmation = AddressConfirmation.objects.get()
    assert confirmation.channel == Channel.EMAIL and confirmation.address == "parent@example.org"
    assert confirmation.follow_up == f"follow:web:consultation:{consultation.pk}"
    assert confirmation.wording == follow_up.web_wording(consultation.title)
    assert Message.objects.get().recipient == "parent@example.org"
    assert not FollowRequest.objects.exists()  # only once they confirm
    body = client.get(done_url).content.decode()
    assert "We have sent a link to p•••@example.org: open it" in body
    assert 'name="tell-how"' not in body  # once per response
    assert "parent@example.org" not in str(client.session.items())  # only the masked address kept


@pytest.mark.django_db
def test_open_link_by_text_normalises_the_number_and_asks_for_yes(client, consultation):
    done_url = _send(client, consultation)
    # A half-typed email address under the other choice is not a problem.
    _tell(client, done_url, how="sms", mobile="07700 900 123", email="not finished")
    confirmation = AddressConfirmation.objects.get()
    assert confirmation.channel == Channel.SMS and confirmation.address == "+447700900123"
    assert "Reply YES" in Message.objects.get().body
    body = client.get(done_url).content.decode()
    assert "We have sent a text to 07••• •••123: reply YES" in body


@pytest.mark.django_db
def test_an_address_that_already_gets_outcomes_still_confirms_first(client, consultation):
    ConsentingParentFactory(mobile="+447700900124", consents=[(Channel.SMS, Purpose.OUTCOMES)])
    done_url = _send(client, consultation)
    _tell(client, done_url, how="sms", mobile="07700900124")
    assert not FollowRequest.objects.exists()
    assert AddressConfirmation.objects.get().address == "+447700900124"
    assert (
        "reply YES to confirm. Then we will tell you what we decide by text message."
        in client.get(done_url).content.decode()
    )


@pytest.mark.django_db
def test_no_thanks_records_nothing(client, consultation):
    done_url = _send(client, consultation)
    _tell(client, done_url, how="no")
    assert _nothing_written()
    assert "You chose not to be told" in client.get(done_url).content.decode()


@pytest.mark.django_db
def test_an_invited_parent_picks_an_address_we_hold_and_is_recorded_at_once(client, consultation):
    parent = ContactFactory(email="pat@example.org", mobile="+447700900125")
    done_url = _invited(client, consultation, parent)
    body = client.get(done_url).content.decode()
    assert "By email to p•••@example.org" in body and "By text message to 07••• •••125" in body
    assert 'name="tell-email"' not in body and 'name="tell-mobile"' not in body  # nothing to type

    _tell(client, done_url, how="sms")
    follow = FollowRequest.objects.get()
    assert (follow.contact, follow.channel, follow.route) == (parent, Channel.SMS, FollowRoute.WEB)
    assert follow.confirmed_by == ConfirmedBy.PERSONAL_LINK
    assert not AddressConfirmation.objects.exists()
    assert "We will tell you what we decide by text message." in client.get(done_url).content.decode()


@pytest.mark.django_db
def test_an_invited_parent_with_a_suppressed_address_is_not_offered_it(client, consultation):
    from messaging import services as messaging

    parent = ContactFactory(email="pat@example.org", mobile="+447700900126")
    messaging.suppress(Channel.SMS, "+447700900126", "stop")
    done_url = _invited(client, consultation, parent)
    body = client.get(done_url).content.decode()
    assert "By email to p•••@example.org" in body and "07••• •••126" not in body
    assert _tell(client, done_url, how="sms").status_code == 400
    assert not FollowRequest.objects.exists()


@pytest.mark.django_db
def test_an_invited_parent_with_nothing_usable_on_record_types_an_address_confirmed_first(
    client, consultation
):
    from messaging import services as messaging

    parent = ContactFactory(email=None, mobile="+447700900128")
    messaging.suppress(Channel.SMS, "+447700900128", "stop")
    done_url = _invited(client, consultation, parent)
    assert 'name="tell-email"' in client.get(done_url).content.decode()
    _tell(client, done_url, how="email", email="new@example.org")
    assert AddressConfirmation.objects.get().address == "new@example.org"
    assert not FollowRequest.objects.exists()


@pytest.mark.django_db
def test_an_invited_parent_who_agreed_to_outcomes_is_told_they_will_hear(client, consultation):
    parent = ConsentingParentFactory(consents=[(Channel.SMS, Purpose.OUTCOMES)])
    done_url = _invited(client, consultation, parent)
    body = client.get(done_url).content.decode()
    assert "We will tell you what we decide by text message." in body
    assert 'name="tell-how"' not in body
    # Linked: their response names them, which is what puts them in the audience.
    assert _tell(client, done_url, how="sms").status_code == 302
    assert _nothing_written()


@pytest.mark.django_db
def test_invalid_input_keeps_what_was_typed_and_says_what_to_fix(client, consultation):
    done_url = _send(client, consultation)
    cases = [
        ({}, "Select how you want to be told, or No thanks"),
        ({"how": "email", "email": ""}, "Enter your email address"),
        ({"how": "email", "email": "parent@@example"}, "Enter an email address in the right format"),
        ({"how": "sms", "mobile": "01632 960 001"}, "mobile"),
        ({"how": "email", "email": "ok@example.org", "extra_details": "bot"}, "We could not accept"),
    ]
    for data, error in cases:
        response = _tell(client, done_url, **data)
        body = response.content.decode()
        assert response.status_code == 400, data
        assert re.search(r"<title>Error: ", body) and "govuk-error-summary" in body
        assert error in body, (data, error)
        for value in data.values():
            if value and value != "bot" and value not in ("email", "sms"):
                assert f'value="{value}"' in body, value
    assert _nothing_written()


@pytest.mark.django_db
def test_a_second_post_or_a_replay_writes_nothing_more(client, consultation):
    done_url = _send(client, consultation)
    _tell(client, done_url, how="email", email="one@example.org")
    again = _tell(client, done_url, how="email", email="two@example.org")
    assert again.status_code == 302
    assert list(AddressConfirmation.objects.values_list("address", flat=True)) == ["one@example.org"]


@pytest.mark.django_db
def test_another_session_cannot_use_it(client, consultation):
    done_url = _send(client, consultation)
    stranger = Client()
    refused = _tell(stranger, done_url, how="email", email="attacker@example.org")
    assert refused.status_code == 302 and refused["Location"] == consultation.url
    # Even after answering themselves, a stranger only ever acts for their own response: once.
    _send(stranger, consultation)
    _tell(stranger, done_url, how="email", email="attacker@example.org")
    _tell(stranger, done_url, how="email", email="attacker2@example.org")
    assert AddressConfirmation.objects.count() == 1


@pytest.mark.django_db
def test_it_is_offered_only_soon_after_sending(client, consultation):
    done_url = _send(client, consultation)
    session = client.session
    key = f"consultation-{consultation.pk}-sent"
    session[key] = {**session[key], "sent_at": session[key]["sent_at"] - 31 * 60}
    session.save()
    assert 'name="tell-how"' not in client.get(done_url).content.decode()
    _tell(client, done_url, how="email", email="next-person@example.org")
    assert _nothing_written()


@pytest.mark.django_db
def test_it_is_rate_limited_and_a_refused_request_keeps_the_typing(client, consultation, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "keep_me_informed": "1/h/ip"}
    done_url = _send(client, consultation)
    _tell(client, done_url, how="email", email="not an address")
    refused = _tell(client, done_url, how="email", email="parent@example.org")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "You have tried too many times" in body and 'value="parent@example.org"' in body
    assert _nothing_written()


@pytest.mark.django_db
def test_it_counts_the_address_against_the_shared_recipient_limit(client, consultation, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "recipient": "1/h/key"}
    done_url = _send(client, consultation)
    other = Client()
    other_done = _send(other, consultation)
    first = _tell(client, done_url, how="sms", mobile="07700900127")
    second = _tell(other, other_done, how="sms", mobile="+447700900127")
    # Counted once, by messaging as it sends the confirmation: the second browser is told the same
    # as the first (a stranger learns nothing) and no second confirmation is made.
    assert first.status_code == second.status_code == 302
    said = [c.get(url).content.decode() for c, url in ((client, done_url), (other, other_done))]
    assert "reply YES" in said[0] and "reply YES" in said[1], said[1]
    assert AddressConfirmation.objects.count() == 1


# --- Anonymous consultations: held, then released ---------------------------------------------


def test_anonymous_open_link_request_is_held_then_released(client, make_consultation, run_tasks):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    done_url = _send(client, page)
    _tell(client, done_url, how="email", email="parent@example.org")
    held = HeldFollowRequest.objects.get()
    assert held.address == "parent@example.org" and held.contact is None
    assert not AddressConfirmation.objects.exists() and not Message.objects.exists()
    body = client.get(done_url).content.decode()
    assert "so that nobody can match your request" in body.replace("We wait so", "so")
    # Not even the masked address: the session keeps the sentence beside the response's id.
    assert "p•••@example.org" not in body and "the address you gave" in body

    run_tasks()
    assert not HeldFollowRequest.objects.exists()
    confirmation = AddressConfirmation.objects.get()
    assert confirmation.address == "parent@example.org"
    assert confirmation.follow_up == f"follow:web:consultation:{page.pk}"
    assert Message.objects.filter(recipient="parent@example.org").exists()


def test_anonymous_invited_parent_who_agreed_to_outcomes_is_followed_on_submit(
    client, make_consultation, run_tasks
):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    parent = ConsentingParentFactory(consents=[(Channel.SMS, Purpose.OUTCOMES)])
    done_url = _invited(client, page, parent)
    held = HeldFollowRequest.objects.get()
    assert held.contact == parent and held.confirmed_by == ConfirmedBy.EARLIER_CONSENT
    assert "We will tell you what we decide by text message." in client.get(done_url).content.decode()
    assert not FollowRequest.objects.exists()  # not written next to the response

    run_tasks()
    follow = FollowRequest.objects.get()
    assert (follow.contact, follow.channel) == (parent, Channel.SMS)
    assert follow.topic == follow_up.consultation_topic(page.pk)
    # The audience of those who took part reaches them although the response does not name them.
    assert list(follow_up.took_part_contact_ids(str(page.pk))) == [{"pk": parent.pk}]


def test_anonymous_invited_parent_choosing_an_address_is_held_without_confirmation(
    client, make_consultation, run_tasks
):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    parent = ContactFactory(email="pat@example.org", mobile=None)
    done_url = _invited(client, page, parent)
    assert not HeldFollowRequest.objects.exists()  # no earlier consent: nothing on submit
    _tell(client, done_url, how="email")
    assert HeldFollowRequest.objects.get().confirmed_by == ConfirmedBy.PERSONAL_LINK
    assert "we record it separately" in client.get(done_url).content.decode()
    run_tasks()
    assert FollowRequest.objects.get().contact == parent
    assert not AddressConfirmation.objects.exists()
    assert Contact.objects.count() == 1
