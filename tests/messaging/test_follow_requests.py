"""'Tell me what you decide': follow requests. Recorded at once only when the address is proven (or
its owner already agreed to outcomes); otherwise confirmed first, as sign-up is. Withdrawing outcomes
forgets them; outcome campaigns reach them, once per person."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from messaging import audiences, services
from messaging.choices import (
    CampaignKind,
    Channel,
    ConfirmedBy,
    FollowRoute,
    MessageStatus,
    Purpose,
    SuppressionReason,
)
from messaging.models import AddressConfirmation, Campaign, Consent, Contact, FollowRequest, Message
from messaging.sms import GSM7_BASIC, GSM7_EXTENDED
from tests.factories import ConsentingParentFactory, ContactFactory, FollowRequestFactory

pytestmark = pytest.mark.django_db
TOPIC = "consultation:42"
TITLE = "Play parks in Dover"
WORDING = "Tell me what you decide about this consultation."
PARENT_EMAIL = "parent@example.org"
PARENT_MOBILE = "+447400123456"


def follow(**fields):
    arguments = {
        "topic": TOPIC,
        "title": TITLE,
        "channel": Channel.EMAIL,
        "route": FollowRoute.WEB,
        "wording": WORDING,
    }
    arguments.update(fields)
    return services.request_follow(**arguments)


def confirmation_path(address):
    message = Message.objects.filter(
        recipient=address, idempotency_key__startswith="confirm-address:"
    ).latest("pk")
    return re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1)


# --- A contact whose address is proven --------------------------------------------------------


def test_a_contact_from_their_personal_link_is_following_at_once_and_asking_again_changes_nothing():
    contact = ContactFactory(email=PARENT_EMAIL)
    for _ in range(2):
        result = follow(contact=contact, confirmed_by=ConfirmedBy.PERSONAL_LINK)
    assert result == services.FollowResult.FOLLOWING
    row = FollowRequest.objects.get()
    assert (row.contact, row.topic, row.channel, row.route, row.confirmed_by, row.wording) == (
        contact,
        TOPIC,
        Channel.EMAIL,
        FollowRoute.WEB,
        ConfirmedBy.PERSONAL_LINK,
        WORDING,
    )
    assert row.requested_on == timezone.localdate()
    assert not Message.objects.exists()  # nothing to confirm, nothing sent
    assert services.follow_channels(contact.pk, [TOPIC]) == [Channel.EMAIL]


def test_a_contact_must_say_how_the_address_was_proven_and_have_one_on_the_channel():
    contact = ContactFactory(email=None)
    with pytest.raises(ValueError, match="confirmed_by"):
        follow(contact=contact, channel=Channel.SMS)
    with pytest.raises(ValueError, match="no address"):
        follow(contact=contact, confirmed_by=ConfirmedBy.PERSONAL_LINK)
    with pytest.raises(ValueError, match="exactly one"):
        follow(contact=contact, address=PARENT_EMAIL, confirmed_by=ConfirmedBy.PERSONAL_LINK)
    assert not FollowRequest.objects.exists()


def test_record_follow_is_idempotent():
    contact = ContactFactory()
    first = services.record_follow(
        contact, topic=TOPIC, channel=Channel.SMS, route="sms", wording="w", confirmed_by="from_number"
    )
    again = services.record_follow(
        contact, topic=TOPIC, channel=Channel.SMS, route="web", wording="x", confirmed_by="personal_link"
    )
    assert first.pk == again.pk and FollowRequest.objects.count() == 1


# --- An address typed on a form ---------------------------------------------------------------


def test_an_address_whose_owner_agreed_to_outcomes_still_confirms_this_request():
    """Anyone may type anyone's address: even a parent who gets outcomes chooses this one themselves
    (and a shortcut would tell a stranger the address is known)."""
    parent = ConsentingParentFactory(
        email=PARENT_EMAIL, consents=[(Channel.EMAIL, Purpose.OUTCOMES)], mobile=None
    )
    assert follow(address=" Parent@Example.org ") == services.FollowResult.CONFIRMATION_SENT
    assert not FollowRequest.objects.exists()
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.address, confirmation.contact) == (PARENT_EMAIL, None)
    assert Message.objects.get().recipient == PARENT_EMAIL
    services.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    assert FollowRequest.objects.get().contact == parent


def test_a_new_email_address_is_confirmed_by_link_before_anything_is_recorded(client, home_page):
    assert follow(address=PARENT_EMAIL) == services.FollowResult.CONFIRMATION_SENT
    assert not FollowRequest.objects.exists() and not Contact.objects.exists()
    email = Message.objects.get()
    assert "to email you when we decide about 'Play parks in Dover'" in email.body

    page = client.get(confirmation_path(PARENT_EMAIL)).content.decode()
    assert "email you when we decide about Play parks in Dover" in page
    confirmed = client.post(confirmation_path(PARENT_EMAIL)).content.decode()
    assert "We will email you when we decide about Play parks in Dover" in confirmed

    row = FollowRequest.objects.get()
    assert (row.contact.email, row.topic, row.channel, row.confirmed_by, row.route) == (
        PARENT_EMAIL,
        TOPIC,
        Channel.EMAIL,
        ConfirmedBy.EMAIL_LINK,
        FollowRoute.WEB,
    )
    # A follow request is not a sign-up: no consent to anything else, no "you have signed up" email.
    assert not Consent.objects.exists()
    assert Message.objects.count() == 1


def test_replaying_the_confirmation_records_one_follow_request(client, home_page):
    follow(address=PARENT_EMAIL)
    path = confirmation_path(PARENT_EMAIL)
    client.post(path)
    client.post(path)
    confirmation = AddressConfirmation.objects.get()
    services.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    assert FollowRequest.objects.count() == 1


def test_a_new_number_confirms_with_yes_and_is_thanked_for_following(home_page):
    long_title = (
        "Short breaks for disabled children \u2013 \u201cwhat we heard\u201d and what happens next in Kent"
    )
    assert follow(address=PARENT_MOBILE, channel=Channel.SMS, title=long_title) == "confirmation_sent"
    text = Message.objects.get(recipient=PARENT_MOBILE)
    short = services.follow_title_for_sms(long_title)
    assert f"Reply YES to get a text when we decide about '{short}', or confirm at http" in text.body
    assert text.body.endswith("Not you? Ignore this. Reply STOP to stop.")
    assert all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text.body)

    reply = services.receive_sms(provider_ref="SMF1", from_number=PARENT_MOBILE, to_number="+1", body="Yes")
    assert f"thank you, we will text you when we decide about '{short}'" in reply
    row = FollowRequest.objects.get()
    assert (str(row.contact.mobile), row.channel, row.confirmed_by) == (
        PARENT_MOBILE,
        Channel.SMS,
        ConfirmedBy.SMS_REPLY,
    )
    assert services.preferences_url(row.contact_id) in reply


def test_an_expired_link_records_nothing(client, home_page):
    follow(address=PARENT_EMAIL)
    path = confirmation_path(PARENT_EMAIL)
    AddressConfirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(path).status_code == 404
    assert not FollowRequest.objects.exists() and not Contact.objects.exists()


def test_a_stopped_number_gets_no_confirmation_text_and_nothing_is_recorded():
    services.suppress(Channel.SMS, PARENT_MOBILE, SuppressionReason.STOP)
    assert follow(address=PARENT_MOBILE, channel=Channel.SMS) == services.FollowResult.CONFIRMATION_SENT
    assert not Message.objects.exists() and not AddressConfirmation.objects.exists()
    assert not FollowRequest.objects.exists()


def test_an_unsubscribed_email_still_gets_the_link_as_sign_up_does(client, home_page):
    parent = ContactFactory(email=PARENT_EMAIL, mobile=None)
    services.unsubscribe(parent)
    follow(address=PARENT_EMAIL)
    assert not FollowRequest.objects.exists()
    client.post(confirmation_path(PARENT_EMAIL))
    assert FollowRequest.objects.get().contact == parent
    assert not services.is_suppressed(Channel.EMAIL, PARENT_EMAIL)  # confirming lifts their own unsubscribe


def test_a_stranger_typing_a_parents_address_records_nothing_and_is_limited_like_sign_up(settings):
    parent = ConsentingParentFactory(email=PARENT_EMAIL, mobile=PARENT_MOBILE)  # texts about consultations
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "recipient": "2/h/key"}
    before = (parent.consents.count(), Contact.objects.count())
    for topic in ("consultation:1", "consultation:2", "consultation:3", "event:4"):
        follow(address=PARENT_MOBILE, channel=Channel.SMS, topic=topic)
    assert not FollowRequest.objects.exists()
    assert (parent.consents.count(), Contact.objects.count()) == before
    # The per-recipient limit every public form shares: two confirmations, then nothing.
    assert Message.objects.filter(recipient=PARENT_MOBILE).count() == 2
    assert AddressConfirmation.objects.count() == 2


def test_the_follow_up_must_fit():
    with pytest.raises(ValueError, match="too long"):
        follow(address=PARENT_EMAIL, topic="consultation:" + "9" * 60)


# --- Who will be told -------------------------------------------------------------------------


def test_follow_channels_counts_follows_and_general_consent_but_not_suppressed_addresses():
    contact = ConsentingParentFactory(
        email=PARENT_EMAIL, mobile=PARENT_MOBILE, consents=[(Channel.EMAIL, Purpose.OUTCOMES)]
    )
    FollowRequestFactory(contact=contact, topic=TOPIC, channel=Channel.SMS)
    assert services.follow_channels(contact.pk, [TOPIC]) == [Channel.SMS, Channel.EMAIL]
    assert services.follow_channels(contact.pk, ["consultation:7"]) == [Channel.EMAIL]
    services.suppress(Channel.SMS, PARENT_MOBILE, SuppressionReason.STOP)
    assert services.follow_channels(contact.pk, [TOPIC]) == [Channel.EMAIL]
    assert services.follow_channels(None, [TOPIC]) == []
    assert list(services.follower_ids([TOPIC, "event:1"])) == [{"contact_id": contact.pk}]


# --- Withdrawing ------------------------------------------------------------------------------


def test_withdrawing_outcomes_on_the_preferences_page_forgets_follows_on_that_channel(client):
    contact = ConsentingParentFactory(
        email=PARENT_EMAIL,
        mobile=PARENT_MOBILE,
        consents=[(Channel.EMAIL, Purpose.OUTCOMES), (Channel.SMS, Purpose.OUTCOMES)],
    )
    FollowRequestFactory(contact=contact, channel=Channel.EMAIL)
    FollowRequestFactory(contact=contact, channel=Channel.SMS)
    token = services.preferences_token(contact.pk)
    client.post(f"/preferences/{token}/", {"sms": [Purpose.OUTCOMES]})
    assert list(FollowRequest.objects.values_list("channel", flat=True)) == [Channel.SMS]


def test_saving_preferences_without_general_outcomes_keeps_follows(client):
    contact = ConsentingParentFactory(email=PARENT_EMAIL, mobile=None, consents=[])
    FollowRequestFactory(contact=contact, channel=Channel.EMAIL)
    client.post(f"/preferences/{services.preferences_token(contact.pk)}/", {"email": [Purpose.CONSULTATIONS]})
    assert FollowRequest.objects.count() == 1


def test_stop_and_unsubscribe_forget_follows():
    texter = ContactFactory(mobile=PARENT_MOBILE, email=PARENT_EMAIL)
    FollowRequestFactory(contact=texter, channel=Channel.SMS)
    FollowRequestFactory(contact=texter, channel=Channel.EMAIL)
    services.receive_sms(provider_ref="SMF2", from_number=PARENT_MOBILE, to_number="+1", body="STOP")
    assert list(FollowRequest.objects.values_list("channel", flat=True)) == [Channel.EMAIL]
    services.unsubscribe(texter)
    assert not FollowRequest.objects.exists()


def test_the_preferences_page_lists_each_follow_with_a_way_to_stop_it(client):
    audiences.register_topic_title("testpark", lambda value: f"Park number {value}")
    contact = ContactFactory(email=PARENT_EMAIL, mobile=PARENT_MOBILE)
    FollowRequestFactory(contact=contact, topic="testpark:5", channel=Channel.EMAIL)
    FollowRequestFactory(contact=contact, topic="testpark:5", channel=Channel.SMS)
    FollowRequestFactory(contact=contact, topic="nobody-registered:1", channel=Channel.EMAIL)
    path = f"/preferences/{services.preferences_token(contact.pk)}/"
    html = client.get(path).content.decode()
    assert "You asked us to tell you what happens about: Park number 5" in html
    assert "You asked us to tell you what happens about: a consultation" in html
    assert "By email and text message" in html

    response = client.post(path, {"stop_following": "testpark:5"}, follow=True)
    assert "We will not tell you what happens about Park number 5 any more." in response.content.decode()
    assert list(FollowRequest.objects.values_list("topic", flat=True)) == ["nobody-registered:1"]
    # Another person's topic id, or nonsense, stops nothing.
    client.post(path, {"stop_following": "x" * 500})
    assert FollowRequest.objects.count() == 1


# --- Outcome campaigns ------------------------------------------------------------------------


def outcome_campaign(source, **fields):
    values = {
        "name": f"Outcome {source}",
        "kind": CampaignKind.OUTCOME_NOTICE,
        "purpose": Purpose.OUTCOMES,
        "sms_template": "We decided about ((title)): ((link))",
        "email_subject": "We decided about ((title))",
        "email_template": "Hello ((name)), we decided: ((link))",
        "title": "play parks",
        "link_url": "https://parentvoice.example.org/d/1/",
        "audience_source": source,
    }
    values.update(fields)
    return Campaign.objects.create(**values)


def test_an_outcome_campaign_reaches_followers_once_each_on_their_channel(django_assert_max_num_queries):
    responders = [ConsentingParentFactory(consents=[(Channel.SMS, Purpose.OUTCOMES)]) for _ in range(2)]
    follower_only = ContactFactory(email="f@example.org", mobile="+447400555001", preferred_channel="sms")
    FollowRequestFactory(contact=follower_only, channel=Channel.EMAIL)
    both = responders[0]  # in the source and following: still one message
    FollowRequestFactory(contact=both, channel=Channel.SMS)
    stopped = ContactFactory(email=None, mobile="+447400555002")
    FollowRequestFactory(contact=stopped, channel=Channel.SMS)
    services.suppress(Channel.SMS, "+447400555002", SuppressionReason.STOP)
    other_topic = ContactFactory()
    FollowRequestFactory(contact=other_topic, topic="consultation:999", channel=Channel.SMS)
    outsider = ContactFactory()  # in no source, following nothing

    audiences.register_audience(
        "testdecision",
        lambda value: Contact.objects.filter(pk__in=[c.pk for c in responders]).values("pk"),
        follow_topics=lambda value: [f"consultation:{value}"],
    )
    assert audiences.follow_topics("testdecision:42") == [TOPIC]
    campaign = outcome_campaign("testdecision:42")
    with django_assert_max_num_queries(10):  # PostgreSQL: a staging table, COPY and INSERT
        services.create_campaign_messages(campaign)

    sent = {(m.contact_id, m.channel): m.status for m in Message.objects.filter(campaign=campaign)}
    assert sent == {
        (responders[0].pk, Channel.SMS): MessageStatus.CREATED,
        (responders[1].pk, Channel.SMS): MessageStatus.CREATED,
        # Follows on email only: told by email, though they would rather have texts.
        (follower_only.pk, Channel.EMAIL): MessageStatus.CREATED,
        (stopped.pk, Channel.SMS): MessageStatus.SUPPRESSED,
    }
    assert other_topic.pk not in {c for c, _ in sent} and outsider.pk not in {c for c, _ in sent}


def test_follows_do_not_reach_a_campaign_for_another_purpose():
    follower = ContactFactory()
    FollowRequestFactory(contact=follower, channel=Channel.EMAIL)
    audiences.register_audience(
        "testdecision2",
        lambda value: Contact.objects.none().values("pk"),
        follow_topics=lambda value: [TOPIC],
    )
    campaign = outcome_campaign("testdecision2:1", purpose=Purpose.CONSULTATIONS)
    assert services.create_campaign_messages(campaign) == 0


# --- Pure functions ---------------------------------------------------------------------------


@given(st.text(max_size=300), st.integers(min_value=10, max_value=120))
def test_a_title_for_a_text_is_gsm7_and_short(title, limit):
    short = services.follow_title_for_sms(title, limit)
    assert len(short) <= limit
    assert "\n" not in short and short == short.strip()
    if any(ch.isalnum() for ch in short):
        gsm7 = all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in short)
        # Only a title GSM-7 has no letters for is kept in its own script (and then at half length).
        assert gsm7 or (len(short) <= limit // 2 and not any(ch.isascii() and ch.isalpha() for ch in short))
    assert bool(short) == bool(title.strip()) or not any(ch.isalnum() for ch in title)


def test_a_title_with_no_latin_letters_stays_readable():
    """Arabic has no GSM-7 letters: dropping them left "about ''" in the confirmation text."""
    assert services.follow_title_for_sms("استشارة الآباء") == "استشارة الآباء"


@given(st.lists(st.sampled_from(["play", "parks", "in", "Dover", "and", "Deal"]), min_size=1, max_size=40))
def test_a_long_title_is_cut_on_a_word(words):
    title = " ".join(words)
    short = services.follow_title_for_sms(title, 30)
    if len(title) <= 30:
        assert short == title
    else:
        assert short.endswith("...")
        kept = short.removesuffix("...").split(" ")
        assert kept == words[: len(kept)]


def test_contact_for_phone_finds_or_makes_the_contact_of_a_number_that_texted():
    assert services.contact_for_phone(PARENT_MOBILE) is None
    made = services.contact_for_phone(PARENT_MOBILE, create=True)
    assert (str(made.mobile), made.email, made.name) == (PARENT_MOBILE, None, "")
    assert services.contact_for_phone(PARENT_MOBILE, create=True) == made
    assert Contact.objects.count() == 1
