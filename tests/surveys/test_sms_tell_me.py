"""'Tell me what you decide' by text: the thank-you's offer, the YES after it, and texts from known
numbers linked to their contact. Through the real webhook, as Twilio sends texts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, FollowRoute, Purpose
from messaging.models import (
    AddressConfirmation,
    Consent,
    Contact,
    FollowRequest,
    HeldFollowRequest,
    InboundMessage,
)
from messaging.sms import segment_info, split_texts
from surveys import services
from surveys.choices import Anonymity
from surveys.follow_up import consultation_topic
from surveys.models import ConsultationPage, Response, SmsConversation
from tests.factories import ConsentingParentFactory, FollowRequestFactory

from .texting import PHONE, invite_by_text, text

pytestmark = pytest.mark.django_db

ANSWERS = ["1", "1", "1", "1", "1", "SKIP", "SKIP"]  # every question of the demo's support consultation
OFFER = "Reply YES to get a text when we decide."
FOLLOWING = "Thank you. We will text you when we decide about 'Support for parents'. Reply STOP to stop."


@pytest.fixture
def say(client, settings, keyword_consultation):
    return lambda body, **kwargs: text(client, settings, body, **kwargs)


@pytest.fixture
def finish(say):
    """Answer the whole consultation by text; returns the thank-you."""

    def run(phone=PHONE):
        say("SUPPORT", phone=phone)
        for reply in ANSWERS:
            last = say(reply, phone=phone)
        return last

    return run


def _anonymous(page):
    ConsultationPage.objects.filter(pk=page.pk).update(anonymity=Anonymity.ANONYMOUS)
    services._page_cache.clear()


def _fits_two_texts(reply):
    for part in split_texts(reply):
        info = segment_info(part)
        assert info.encoding == "GSM-7" and info.segments <= 2, part


# --- The thank-you -----------------------------------------------------------------------------


def test_the_thank_you_offers_a_text_to_a_number_we_do_not_know(finish, keyword_consultation):
    thanks = finish()
    assert thanks == (
        "You have finished, thank you! Your answers are saved. "
        f"See what we decide at http://testserver{keyword_consultation.url} {OFFER}"
    )
    _fits_two_texts(thanks)


def test_the_thank_you_says_we_will_text_a_known_number_that_agreed_to_outcome_texts(finish):
    contact = ConsentingParentFactory(mobile=PHONE, consents=[(Channel.SMS, Purpose.OUTCOMES)])
    thanks = finish()
    assert thanks == "You have finished, thank you! Your answers are saved. We will text you when we decide."
    # Not invited, but the number is theirs: the answers are linked to them, so they are told.
    assert Response.objects.get().contact == contact


def test_the_thank_you_says_we_will_text_someone_who_already_asked(finish, keyword_consultation):
    contact = Contact.objects.create(mobile=PHONE)
    FollowRequestFactory(
        contact=contact, topic=consultation_topic(keyword_consultation.pk), channel=Channel.SMS
    )
    assert finish().endswith("We will text you when we decide.")


def test_outcome_emails_do_not_stop_the_offer_of_a_text(finish):
    ConsentingParentFactory(
        mobile=PHONE, email="sam@example.org", consents=[(Channel.EMAIL, Purpose.OUTCOMES)]
    )
    assert finish().endswith(OFFER)


def test_the_thank_you_of_an_anonymous_consultation_always_offers_unless_already_agreed(
    finish, keyword_consultation
):
    _anonymous(keyword_consultation)
    assert finish().endswith(OFFER)
    assert Response.objects.get().contact is None


def test_an_anonymous_thank_you_to_someone_who_agreed_to_outcome_texts_holds_their_request(
    finish, keyword_consultation
):
    _anonymous(keyword_consultation)
    contact = ConsentingParentFactory(mobile=PHONE, consents=[(Channel.SMS, Purpose.OUTCOMES)])
    assert finish().endswith("We will text you when we decide.")
    # The answers name nobody, so only a request to be told puts them in the audience: held, no time.
    assert Response.objects.get().contact is None
    held = HeldFollowRequest.objects.get()
    assert (held.contact, held.topic, held.channel) == (
        contact,
        consultation_topic(keyword_consultation.pk),
        "sms",
    )
    assert held.confirmed_by == ConfirmedBy.EARLIER_CONSENT
    assert not FollowRequest.objects.exists()


# --- YES after the thank-you -----------------------------------------------------------------


def test_yes_from_a_new_number_records_a_follow_request_on_a_new_contact(say, finish, keyword_consultation):
    finish()
    assert say("YES") == FOLLOWING
    contact = Contact.objects.get()
    assert str(contact.mobile) == PHONE and contact.email is None and contact.name == ""
    follow = FollowRequest.objects.get()
    assert follow.contact == contact
    assert follow.topic == consultation_topic(keyword_consultation.pk)
    assert (follow.channel, follow.route, follow.confirmed_by) == (
        Channel.SMS,
        FollowRoute.SMS,
        ConfirmedBy.SMS_REPLY,
    )
    assert OFFER in follow.wording
    # Asking to hear about this one consultation is not consent to anything else.
    assert not Consent.objects.exists()
    assert messaging.follow_channels(contact.pk, [follow.topic]) == [Channel.SMS]


def test_yes_from_a_known_number_uses_its_contact(say, finish):
    contact = Contact.objects.create(name="Sam", email="sam@example.org", mobile=PHONE)
    finish()
    assert say("y") == FOLLOWING
    assert Contact.objects.get() == contact
    assert FollowRequest.objects.get().contact == contact


def test_yes_twice_records_once_and_says_so(say, finish):
    finish()
    assert say("YES") == FOLLOWING
    assert say("Yes") == (
        "You have already asked: we will text you when we decide about 'Support for parents'. Reply STOP to stop."
    )
    assert FollowRequest.objects.count() == 1


def test_yes_on_an_anonymous_consultation_is_held_and_says_so(say, finish, keyword_consultation):
    _anonymous(keyword_consultation)
    finish()
    reply = say("YES")
    assert reply.startswith("Thank you. We will text you when we decide about 'Support for parents'.")
    assert "Your answers are anonymous, so we add your number to the list later, apart from them." in reply
    _fits_two_texts(reply)
    assert not FollowRequest.objects.exists()
    held = HeldFollowRequest.objects.get()
    assert (
        held.contact.mobile == PHONE
        and held.route == FollowRoute.SMS
        and held.confirmed_by == ConfirmedBy.SMS_REPLY
    )
    assert say("YES").startswith("You have already asked")
    assert HeldFollowRequest.objects.count() == 1
    assert messaging.release_held_follow_requests() == 1
    follow = FollowRequest.objects.get()
    assert follow.topic == consultation_topic(keyword_consultation.pk) and follow.contact == held.contact
    assert Response.objects.get().contact is None


def test_yes_more_than_a_week_after_the_thank_you_is_not_taken(say, finish):
    finish()
    SmsConversation.objects.update(finished_at=timezone.now() - timedelta(days=7, minutes=1))
    assert say("YES") == ""
    assert not FollowRequest.objects.exists() and not Contact.objects.exists()


def test_yes_within_the_week_is_taken(say, finish):
    finish()
    SmsConversation.objects.update(finished_at=timezone.now() - timedelta(days=6, hours=23))
    assert say("YES") == FOLLOWING


def test_only_yes_or_y_asks_to_be_told(say, finish):
    finish()
    assert say("OK") == ""
    assert say("yes please thanks") == ""  # more than a bare YES: not taken as one
    assert not FollowRequest.objects.exists()


def test_an_invitation_texted_after_the_thank_you_wins(say, finish, make_consultation):
    finish()
    other = make_consultation(title="Childcare", slug="childcare")
    invite_by_text(other, Contact.objects.create(mobile=PHONE))
    assert say("YES").startswith("Thank you for taking part in 'Childcare'.")
    assert not FollowRequest.objects.exists()


def test_an_invitation_before_the_thank_you_does_not(say, keyword_consultation):
    contact = Contact.objects.create(name="Sam", mobile=PHONE)
    invite_by_text(keyword_consultation, contact)
    say("YES")
    for reply in ANSWERS:
        last = say(reply)
    assert last.endswith(OFFER)  # invited, but did not agree to outcome texts
    assert say("YES") == FOLLOWING
    assert FollowRequest.objects.get().contact == contact
    assert Response.objects.get().contact == contact


def test_a_sign_up_waiting_for_yes_made_after_the_thank_you_wins(say, finish):
    finish()
    # A day and more later they sign up on the web with the same number, and reply YES to its text.
    earlier = timezone.now() - timedelta(days=2)
    SmsConversation.objects.update(finished_at=earlier, updated_at=earlier)
    InboundMessage.objects.update(received_at=earlier)
    messaging.request_sign_up(
        email=None, mobile=PHONE, purposes=[Purpose.CONSULTATIONS], wording="Texts about consultations"
    )
    assert "you're signed up" in say("YES")
    assert AddressConfirmation.objects.get().confirmed_at is not None
    assert not FollowRequest.objects.exists()


def test_a_sign_up_made_while_answering_does_not_take_the_yes(say, finish):
    messaging.request_sign_up(
        email=None, mobile=PHONE, purposes=[Purpose.CONSULTATIONS], wording="Texts about consultations"
    )
    finish()
    assert say("YES") == FOLLOWING
    assert AddressConfirmation.objects.get().confirmed_at is None


def test_a_stopped_number_is_not_recorded(say, finish):
    finish()
    say("STOP")
    assert say("YES") == ""
    assert not FollowRequest.objects.exists() and not HeldFollowRequest.objects.exists()


def test_stop_after_asking_forgets_the_request(say, finish):
    finish()
    say("YES")
    say("STOP")
    assert not FollowRequest.objects.exists()


def test_a_long_title_keeps_the_reply_short(say, finish, keyword_consultation):
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(title="Support " * 30)
    services._page_cache.clear()
    finish()
    reply = say("YES")
    assert (
        reply.startswith("Thank you. We will text you when we decide about 'Support Support")
        and "...'" in reply
    )
    _fits_two_texts(reply)


# --- Linked consultations: texts from known numbers --------------------------------------------


def test_a_text_response_from_a_known_number_is_linked_to_its_contact(finish, keyword_consultation):
    contact = Contact.objects.create(name="Sam", mobile=PHONE)
    finish()
    response = Response.objects.get()
    assert response.contact == contact
    # No invitation was used: the contact's invitation, if any, is still theirs to use.
    assert response.invitation_key is None
    assert not services.invitation_used(keyword_consultation, contact.pk)


def test_a_text_response_from_an_unknown_number_is_not_linked(finish):
    Contact.objects.create(name="Sam", mobile="+447700900999")
    finish()
    assert Response.objects.get().contact is None


def test_an_anonymous_text_response_is_never_linked(finish, keyword_consultation):
    _anonymous(keyword_consultation)
    Contact.objects.create(name="Sam", mobile=PHONE)
    finish()
    assert Response.objects.get().contact is None
