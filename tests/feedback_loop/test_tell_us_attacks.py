"""Attack review of 'Tell us' (docs/tell-us.md): the TELL keyword against opt-out words, replays,
conversations and odd text; TELL YES from strangers and too late; the web form's hear-back address;
triage by the wrong people and by two officers at once; held text and the address kept off public pages."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback_loop.models import OpenFeedback, OpenFeedbackSource, OpenFeedbackStatus
from feedback_loop.services import tell_us
from messaging import services as messaging
from messaging.choices import ConfirmedBy
from messaging.models import AddressConfirmation, FollowRequest, InboundMessage, Suppression
from parentvoice.accounts.roles import DECISION_MAKERS, FORUM_COORDINATORS

pytestmark = pytest.mark.django_db

NUMBER, OTHER = "+447700900555", "+447700900666"
DISCLOSURE = "My partner hits me and the kids"


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting safeguarding term list."""


def _text(body, number=NUMBER, ref="SM-1"):
    return messaging.receive_sms(provider_ref=ref, from_number=number, to_number="+447000000000", body=body)


def _post(client, **data):
    return client.post("/tell-us/", {"text": "", "district": "", "email": "", "mobile": "", **data})


# --- The TELL keyword ---------------------------------------------------------------------------


def test_a_replayed_webhook_stores_one_entry_and_gives_the_same_reply():
    first = _text("TELL more buses to the centre", ref="SM-replay")
    again = _text("TELL more buses to the centre", ref="SM-replay")
    assert first == again and "TU-" in first
    assert OpenFeedback.objects.count() == 1 and InboundMessage.objects.count() == 1


@pytest.mark.parametrize("body", ["tell more buses", "   Tell   more buses", "\tTELL\nmore buses"])
def test_lower_case_and_leading_spaces_still_reach_tell(body):
    assert "TU-" in _text(body)
    assert OpenFeedback.objects.get().text == "more buses"


@pytest.mark.parametrize("body", ["STOP", "stop", "STOP TELL", "UNSUBSCRIBE"])
def test_opt_out_words_stay_opt_out_words(body):
    assert "not get any more texts" in _text(body)
    assert not OpenFeedback.objects.exists()


@pytest.mark.parametrize("body", ["TELLING you about buses", "TELLYES", "HELP", "START", "YES"])
def test_words_that_are_not_tell_store_nothing(body):
    _text(body)
    assert not OpenFeedback.objects.exists()


def test_tell_stop_is_a_message_not_an_opt_out_and_says_how_to_stop():
    reply = _text("TELL STOP")
    assert "Reply STOP to stop" in reply
    assert not Suppression.objects.exists()


def test_a_conversation_in_progress_keeps_the_text(make_consultation):
    from surveys.choices import ConversationStatus
    from surveys.models import SmsConversation

    page = make_consultation()
    SmsConversation.objects.create(consultation=page, phone=NUMBER, status=ConversationStatus.ACTIVE)
    _text("Tell them the centre is too far")
    assert not OpenFeedback.objects.exists()
    _text("TELL more buses", number=OTHER, ref="SM-2")  # someone else's conversation is not theirs
    assert OpenFeedback.objects.count() == 1


def test_a_long_ucs2_text_is_kept_whole():
    message = "Le centre à Douvres ferme trop tôt 😞 " * 45  # over 1,600 characters, not GSM
    assert len(message) > 1600
    _text("TELL " + message)
    assert OpenFeedback.objects.get().text == message.strip()


def test_control_characters_and_bidi_overrides_are_dropped():
    _text("TELL more\x00 buses \u202eplease\x07")
    assert OpenFeedback.objects.get().text == "more buses please"


def test_a_disclosure_by_text_is_held():
    from parentvoice.safeguarding.services import is_held

    _text(f"TELL {DISCLOSURE}")
    assert is_held(tell_us.OPEN_FEEDBACK, OpenFeedback.objects.get().pk)


# --- TELL YES ----------------------------------------------------------------------------------


def test_tell_yes_from_a_number_that_never_told_us_follows_nothing():
    assert "no recent message" in _text("TELL YES")
    assert not FollowRequest.objects.exists() and not OpenFeedback.objects.exists()


def test_tell_yes_from_another_number_does_not_follow_someone_elses_entry():
    _text("TELL more buses")
    assert "no recent message" in _text("TELL YES", number=OTHER, ref="SM-2")
    assert not FollowRequest.objects.exists()


def test_tell_yes_after_a_day_follows_nothing():
    _text("TELL more buses")
    OpenFeedback.objects.update(received_at=timezone.now() - timedelta(hours=25))
    assert "no recent message" in _text("TELL YES", ref="SM-2")
    assert not FollowRequest.objects.exists()


def test_tell_yes_twice_or_replayed_follows_once():
    _text("TELL more buses")
    _text("tell yes", ref="SM-2")
    _text("tell yes", ref="SM-2")
    _text("TELL YES", ref="SM-3")
    entry = OpenFeedback.objects.get()
    assert list(FollowRequest.objects.values_list("topic", flat=True)) == [f"tell-us:{entry.pk}"]


def test_a_number_that_texted_stop_is_not_answered_nor_followed():
    """Like a consultation by text, a number that texted STOP hears nothing until it texts START: what
    it tells us is kept, but no reply is sent and TELL YES records nothing (it could never be told)."""
    _text("STOP", ref="SM-0")
    assert not _text("TELL more buses")
    assert OpenFeedback.objects.count() == 1
    assert not _text("TELL YES", ref="SM-2")
    assert not FollowRequest.objects.exists()
    _text("START", ref="SM-3")
    assert "TU-" in _text("TELL and parking", ref="SM-4")


# --- The web form's hear-back address -----------------------------------------------------------


def test_the_address_reaches_no_public_page_nor_the_log(client, home_page, caplog):
    caplog.set_level(logging.DEBUG)
    _post(client, text="More Saturday sessions please.", email="Pat.Private@Example.org")
    sent = client.get("/tell-us/sent/").content.decode().lower()
    assert "pat.private" not in sent
    assert "pat.private" not in caplog.text.lower()
    assert "pat.private" not in OpenFeedback.objects.get().text.lower()


def test_a_confirmation_confirmed_twice_follows_once_and_belongs_to_its_entry(client, home_page):
    _post(client, text="More Saturday sessions please.", email="pat@example.org")
    _post(client, text="Something else", email="sam@example.org")
    first, second = OpenFeedback.objects.order_by("pk")
    confirmation = AddressConfirmation.objects.get(address="pat@example.org")
    messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    follows = FollowRequest.objects.all()
    assert [f.topic for f in follows] == [f"tell-us:{first.pk}"]
    assert follows[0].contact.email == "pat@example.org"


# --- Triage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [FORUM_COORDINATORS, DECISION_MAKERS, None])
def test_triage_is_refused_without_the_permission(client, staff_login, theme, group):
    entry = tell_us.receive_open_feedback(text="More buses", source=OpenFeedbackSource.WEB)
    if group is not None:
        staff_login(group)
    for url in ("/admin/tell-us/", f"/admin/tell-us/{entry.pk}/", "/admin/tell-us/record/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and "More buses" not in response.content.decode()
    for data in (
        {"action": "close", "close-reason": "x"},
        {"action": "make_item", "make_item-summary": "x", "make_item-theme": theme.pk},
    ):
        assert client.post(f"/admin/tell-us/{entry.pk}/", data).status_code in (302, 403)
    assert client.post("/admin/tell-us/record/", {"source": "helpline", "text": "x"}).status_code in (
        302,
        403,
    )
    entry.refresh_from_db()
    assert entry.status == OpenFeedbackStatus.NEW and OpenFeedback.objects.count() == 1


def test_two_officers_triaging_the_same_entry_only_one_wins(make_user, theme):
    entry = tell_us.receive_open_feedback(text="More buses", source=OpenFeedbackSource.WEB)
    ann, bob = make_user(email="ann@example.org"), make_user(email="bob@example.org")
    stale = OpenFeedback.objects.get(pk=entry.pk)  # Bob's page was loaded before Ann's triage
    tell_us.close_entry(entry, user=ann, reason="Already planned")
    with pytest.raises(tell_us.TriageError):
        tell_us.make_item(stale, user=bob, summary="More buses", theme=theme)
    other = tell_us.receive_open_feedback(text="Buses again", source=OpenFeedbackSource.WEB)
    item = tell_us.make_item(other, user=bob, summary="Buses", theme=theme)
    with pytest.raises(tell_us.TriageError):
        tell_us.add_to_item(stale, user=bob, item=item)
    entry.refresh_from_db()
    assert (entry.status, entry.triaged_by, entry.feedback_item) == (OpenFeedbackStatus.CLOSED, ann, None)
    # The losing 'make item' left no orphan draft behind.
    from feedback_loop.models import FeedbackItem

    assert not FeedbackItem.objects.filter(summary="More buses").exists()


def test_held_text_never_reaches_the_public_log_open_data_or_an_item(client, home_page, theme, log_page):
    _text(f"TELL {DISCLOSURE}")
    entry = OpenFeedback.objects.get()
    with pytest.raises(tell_us.TriageError):
        tell_us.make_item(entry, user=None, summary=DISCLOSURE, theme=theme)
    from feedback_loop.models import FeedbackItem

    assert not FeedbackItem.objects.exists()
    for url in (log_page.url, "/tell-us/"):
        assert "hits me" not in client.get(url).content.decode()


@pytest.mark.parametrize("text", ["Hello\x00 there", "x" * 1_000_000])
def test_a_nul_or_huge_text_on_the_form_is_refused_not_a_500(client, home_page, text):
    response = _post(client, text=text)
    assert response.status_code in (200, 400) and "error-summary" in response.content.decode()
    assert not OpenFeedback.objects.exists()


def test_the_hear_back_address_is_limited_however_it_is_spelt(client, home_page, settings):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "tell_us": "100/h/ip",
        "recipient": "1/h/key",
    }
    _post(client, text="One", email="Pat@Example.org")
    client.post(
        "/tell-us/",
        {"text": "Two", "district": "", "email": "  pat@EXAMPLE.org ", "mobile": ""},
        REMOTE_ADDR="198.51.100.7",
    )
    _post(client, text="Three", mobile="07700 900555")
    _post(client, text="Four", mobile="+44 7700 900555")
    assert AddressConfirmation.objects.count() == 2
