"""'Tell us' (docs/tell-us.md): the web form, the TELL keyword and the officer form reach the triage
list; triage makes a 'You said' item the public log shows as "Parents told us"; whoever asked hears
back when it is decided."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback_loop.models import FeedbackItem, OpenFeedback, OpenFeedbackSource, OpenFeedbackStatus
from feedback_loop.services import decision_contact_ids, decision_topics, tell_us
from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy
from messaging.models import AddressConfirmation, Contact, FollowRequest
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from parentvoice.models import District
from parentvoice.safeguarding.models import Case
from surveys import services as surveys

DISCLOSURE = "My partner hits me and the kids"


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting safeguarding term list."""


@pytest.fixture
def dover(db):
    return District.objects.get_or_create(slug="dover", defaults={"name": "Dover"})[0]


def _post(client, **data):
    return client.post("/tell-us/", {"text": "", "district": "", "email": "", "mobile": "", **data})


def _text(body, number="+447700900555", ref="SM-1"):
    return messaging.receive_sms(provider_ref=ref, from_number=number, to_number="+447000000000", body=body)


# --- The web form -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_stores_an_entry_and_shows_its_reference(client, dover, home_page):
    page = client.get("/tell-us/")
    assert page.status_code == 200 and "What do you want to tell us?" in page.content.decode()
    response = _post(client, text="The children's centre in Dover closes at 3, too early.", district="dover")
    assert response.status_code == 302 and response["Location"] == "/tell-us/sent/"
    entry = OpenFeedback.objects.get()
    assert (entry.source, entry.district, entry.status) == (
        OpenFeedbackSource.WEB,
        dover,
        OpenFeedbackStatus.NEW,
    )
    assert entry.contact is None
    sent = client.get("/tell-us/sent/").content.decode()
    assert entry.reference in sent and "we will not contact you" in sent
    assert not AddressConfirmation.objects.exists()


@pytest.mark.django_db
def test_asking_to_hear_back_sends_a_confirmation_and_follows_once_confirmed(client, home_page):
    _post(client, text="More Saturday sessions please.", email="Pat@Example.org")
    entry = OpenFeedback.objects.get()
    confirmation = AddressConfirmation.objects.get()
    assert confirmation.address == "pat@example.org"
    assert confirmation.follow_up.endswith(f"tell-us:{entry.pk}")
    assert not FollowRequest.objects.exists()  # double opt-in: nothing until the owner confirms
    assert "check the address is yours" in client.get("/tell-us/sent/").content.decode()
    messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    follow = FollowRequest.objects.get()
    assert (follow.topic, follow.channel) == (f"tell-us:{entry.pk}", Channel.EMAIL)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Enter what you want to tell us"),
        ("   \n\t ", "Enter what you want to tell us"),
        ("x" * 5000, "2,000 characters or fewer"),
        ("a\x00b", ""),
    ],
)
def test_bad_input_is_refused_with_nothing_stored(client, home_page, text, error):
    response = _post(client, text=text)
    assert response.status_code == 200
    if error:
        assert error in response.content.decode()
    assert not OpenFeedback.objects.exists()


@pytest.mark.django_db
def test_control_characters_and_bidi_overrides_are_dropped_odd_unicode_kept(client, home_page):
    _post(client, text="Zajęcia\u202e dla ojców\x07 w soboty 👨‍👧 नेपाली")
    assert OpenFeedback.objects.get().text == "Zajęcia dla ojców w soboty 👨‍👧 नेपाली"


@pytest.mark.django_db
def test_the_honeypot_refuses_a_bot(client, home_page):
    response = _post(client, text="Buy now", extra_details="http://spam.example")
    assert response.status_code == 200 and not OpenFeedback.objects.exists()


@pytest.mark.django_db
def test_the_form_is_rate_limited(client, home_page, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "tell_us": "2/h/ip"}
    for n in range(2):
        assert _post(client, text=f"Point {n}").status_code == 302
    assert _post(client, text="One too many").status_code == 429
    assert OpenFeedback.objects.count() == 2


@pytest.mark.django_db
def test_the_sent_page_without_an_entry_goes_back_to_the_form(client):
    assert client.get("/tell-us/sent/")["Location"] == "/tell-us/"


# --- The TELL keyword -------------------------------------------------------------------------


@pytest.mark.django_db
def test_tell_by_text_stores_an_entry_and_tell_yes_asks_to_hear_back():
    reply = _text("tell Dads can't get to groups in the day")
    entry = OpenFeedback.objects.get()
    assert (entry.source, entry.text, entry.district) == (
        OpenFeedbackSource.SMS,
        "Dads can't get to groups in the day",
        None,
    )
    assert entry.reference in reply and "TELL YES" in reply
    assert not FollowRequest.objects.exists()
    reply = _text("TELL yes", ref="SM-2")
    follow = FollowRequest.objects.get()
    assert (follow.topic, follow.channel, follow.contact.mobile) == (
        f"tell-us:{entry.pk}",
        Channel.SMS,
        "+447700900555",
    )
    assert entry.reference in reply
    assert OpenFeedback.objects.count() == 1  # "TELL YES" is not a second entry


@pytest.mark.django_db
def test_tell_yes_from_another_number_follows_nothing():
    _text("TELL something")
    reply = _text("TELL YES", number="+447700900666", ref="SM-2")
    assert "no recent message" in reply and not FollowRequest.objects.exists()


@pytest.mark.django_db
def test_a_bare_tell_explains_and_stores_nothing():
    assert "followed by your message" in _text("TELL")
    assert not OpenFeedback.objects.exists()


@pytest.mark.django_db
def test_stop_is_still_stop_and_a_consultation_may_not_use_tell(make_consultation):
    assert "not get any more texts" in _text("STOP")
    assert not OpenFeedback.objects.exists()
    page = make_consultation()
    page.sms_keyword = "TELL"
    assert "used for other things" in surveys.sms_keyword_problem(page)


@pytest.mark.django_db
def test_the_keyword_is_configurable(settings):
    from messaging.signals import registry

    settings.TELL_US_KEYWORD = "SAY"
    registry.register_keyword("SAY", tell_us.handle_tell_sms)
    try:
        assert "SAY YES" in _text("SAY more play areas")
    finally:
        registry.unregister_keyword("SAY")
    assert OpenFeedback.objects.get().text == "more play areas"


# --- Safeguarding -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_disclosure_is_held_hidden_from_the_triage_list_and_cannot_be_triaged(
    client, staff_login, home_page, theme
):
    _post(client, text=DISCLOSURE)
    entry = OpenFeedback.objects.get()
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("feedback_loop.open_feedback", entry.pk)
    staff_login(CONSULTATION_OFFICERS)
    listing = client.get("/admin/tell-us/").content.decode()
    assert "hits me" not in listing and "Held for safeguarding review" in listing
    page = client.get(f"/admin/tell-us/{entry.pk}/").content.decode()
    assert "hits me" not in page and "Make a draft item" not in page
    response = client.post(
        f"/admin/tell-us/{entry.pk}/", {"action": "close", "close-reason": "Not for us"}, follow=True
    )
    assert "safeguarding lead is reading" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == OpenFeedbackStatus.NEW


@pytest.mark.django_db
def test_texts_and_officer_entries_are_screened_too():
    tell_us.receive_open_feedback(text=DISCLOSURE, source=OpenFeedbackSource.HELPLINE)
    _text(f"TELL {DISCLOSURE}")
    assert Case.objects.filter(source_kind="feedback_loop.open_feedback").count() == 2


# --- Officers: recording, the triage list, making a 'You said' item --------------------------


@pytest.mark.django_db
def test_an_officer_records_what_they_heard(client, staff_login, dover):
    user = staff_login(CONSULTATION_OFFICERS)
    assert client.get("/admin/tell-us/record/").status_code == 200
    response = client.post(
        "/admin/tell-us/record/",
        {"source": "school_gate", "district": "dover", "text": "No parking at the centre"},
    )
    assert response.status_code == 302
    entry = OpenFeedback.objects.get()
    assert (entry.source, entry.district, entry.recorded_by) == (OpenFeedbackSource.SCHOOL_GATE, dover, user)
    # An officer cannot pretend it came through the web form or a text.
    client.post("/admin/tell-us/record/", {"source": "web", "text": "Forged"})
    assert OpenFeedback.objects.count() == 1


@pytest.mark.django_db
def test_a_forum_coordinator_and_anonymous_visitors_are_refused(client, staff_login):
    entry = tell_us.receive_open_feedback(text="Hello", source=OpenFeedbackSource.WEB)
    for url in ("/admin/tell-us/", f"/admin/tell-us/{entry.pk}/", "/admin/tell-us/record/"):
        assert client.get(url).status_code == 302  # to the sign-in page
    staff_login(FORUM_COORDINATORS)
    for url in ("/admin/tell-us/", f"/admin/tell-us/{entry.pk}/", "/admin/tell-us/record/"):
        assert client.get(url).status_code in (302, 403)
    response = client.post(f"/admin/tell-us/{entry.pk}/", {"action": "close", "close-reason": "x"})
    assert response.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.status == OpenFeedbackStatus.NEW


@pytest.mark.django_db
def test_the_triage_list_is_newest_first_filters_and_makes_a_fixed_number_of_queries(
    client, staff_login, dover
):
    staff_login(CONSULTATION_OFFICERS)
    tell_us.receive_open_feedback(text="First", source=OpenFeedbackSource.WEB, district=dover)
    tell_us.receive_open_feedback(text="Second", source=OpenFeedbackSource.HELPLINE)
    listing = client.get("/admin/tell-us/").content.decode()
    assert listing.index("Second") < listing.index("First")
    assert "Second" not in client.get("/admin/tell-us/?district=" + str(dover.pk)).content.decode()
    assert "First" not in client.get("/admin/tell-us/?source=helpline").content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/tell-us/")
    for n in range(10):
        tell_us.receive_open_feedback(text=f"More {n}", source=OpenFeedbackSource.WEB, district=dover)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/tell-us/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_web_form_to_triage_to_a_you_said_item_on_the_public_log(client, staff_login, log_page, theme, dover):
    _post(client, text="Dads' groups are always on weekdays.", district="dover")
    entry = OpenFeedback.objects.get()
    staff_login(CONSULTATION_OFFICERS)
    assert "Dads&#x27; groups are always on weekdays." in client.get("/admin/tell-us/").content.decode()
    response = client.post(
        f"/admin/tell-us/{entry.pk}/",
        {
            "action": "make_item",
            "make_item-summary": "Groups for dads are only on weekdays.",
            "make_item-theme": theme.pk,
        },
    )
    item = FeedbackItem.objects.get()
    assert response["Location"].endswith(f"/snippets/feedback_loop/feedbackitem/edit/{item.pk}/")
    entry.refresh_from_db()
    assert (entry.status, entry.feedback_item, entry.theme) == (OpenFeedbackStatus.MADE_ITEM, item, theme)
    assert not item.live and list(item.districts.all()) == [dover]
    item.full_clean()  # an item resting on what parents told us passes the item rules
    item.save_revision().publish()
    log = client.get(log_page.url).content.decode()
    assert "Groups for dads are only on weekdays." in log and "Parents told us" in log
    # Triaging twice is refused.
    with pytest.raises(tell_us.TriageError):
        tell_us.close_entry(entry, user=None, reason="again")


@pytest.mark.django_db
def test_add_to_an_existing_item_and_close_with_a_reason(theme):
    made_from = tell_us.receive_open_feedback(text="Zero", source=OpenFeedbackSource.SMS)
    item = tell_us.make_item(made_from, user=None, summary="Parents said so.", theme=theme)
    first = tell_us.receive_open_feedback(text="One", source=OpenFeedbackSource.WEB)
    second = tell_us.receive_open_feedback(text="Two", source=OpenFeedbackSource.WEB)
    tell_us.add_to_item(first, user=None, item=item)
    first.refresh_from_db()
    assert (first.status, first.feedback_item) == (OpenFeedbackStatus.LINKED, item)
    with pytest.raises(tell_us.TriageError):
        tell_us.close_entry(second, user=None, reason="  ")
    tell_us.close_entry(second, user=None, reason="Already being done")
    second.refresh_from_db()
    assert (second.status, second.closed_reason) == (OpenFeedbackStatus.CLOSED, "Already being done")


@pytest.mark.django_db
def test_who_asked_is_told_when_the_decision_is_published(make_decision, theme):
    _text("TELL Evening sessions please")
    _text("TELL YES", ref="SM-2")
    entry = OpenFeedback.objects.get()
    tell_us.receive_open_feedback(text="Someone who did not ask", source=OpenFeedbackSource.WEB)
    item = tell_us.make_item(entry, user=None, summary="Parents want evening sessions.", theme=theme)
    item.save_revision().publish()
    decision = make_decision([FeedbackItem.objects.get(pk=item.pk)])
    assert f"tell-us:{entry.pk}" in decision_topics(decision.pk)
    texter = Contact.objects.get(mobile="+447700900555")
    assert list(decision_contact_ids(decision.pk)) == [{"pk": texter.pk}]


# --- Retention, personal data, the links to the form ------------------------------------------


@pytest.mark.django_db
def test_retention_unlinks_the_texter_and_keeps_the_words(settings):
    from datetime import timedelta

    from django.utils import timezone

    from feedback_loop.retention import unlink_open_feedback

    _text("TELL Old message")
    _text("TELL New message", ref="SM-2")
    old = OpenFeedback.objects.get(text="Old message")
    OpenFeedback.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(days=settings.RETAIN_OPEN_FEEDBACK_CONTACT_DAYS + 1)
    )
    assert unlink_open_feedback(timezone.now(), dry_run=True) == 1
    assert unlink_open_feedback(timezone.now(), dry_run=False) == 1
    old.refresh_from_db()
    assert old.contact is None and old.text == "Old message"
    assert OpenFeedback.objects.get(text="New message").contact is not None


@pytest.mark.django_db
def test_subject_access_finds_texted_entries_and_erasure_unlinks_them():
    from feedback_loop.personal_data import erase_open_feedback, find_open_feedback
    from parentvoice.privacy.registry import Subject

    _text("TELL Dads need evening groups")
    tell_us.receive_open_feedback(text="Someone else", source=OpenFeedbackSource.WEB)
    subject = Subject(mobile="+447700900555")
    assert [row["text"] for row in find_open_feedback(subject)] == ["Dads need evening groups"]
    erase_open_feedback(subject)
    assert find_open_feedback(subject) == []
    assert OpenFeedback.objects.filter(text="Dads need evening groups", contact__isnull=True).exists()


@pytest.mark.django_db
def test_the_home_page_links_to_the_form(client, home_page):
    assert 'href="/tell-us/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_answer_starting_with_tell_in_a_text_conversation_stays_an_answer(
    client, settings, make_consultation
):
    from surveys.models import SmsConversation
    from tests.surveys.texting import PHONE, text

    make_consultation(sms_keyword="SUPPORT")
    text(client, settings, "support")
    for reply in ("2", "4", "1", "No"):
        text(client, settings, reply)
    reply = text(client, settings, "Tell them evening meetings would help")
    assert not OpenFeedback.objects.exists()
    assert "Q6/8" in reply
    assert SmsConversation.objects.get(phone=PHONE).answers
    # Once finished, TELL is 'Tell us' again.
    for body in ("1", "skip", "Thanks"):
        text(client, settings, body)
    assert "TELL YES" in text(client, settings, "TELL Thank you for asking")
    assert OpenFeedback.objects.get().text == "Thank you for asking"


@pytest.mark.django_db
def test_an_item_from_what_parents_told_us_shows_on_its_decision_page_the_editor_and_open_data(
    client, staff_login, log_page, theme, make_decision
):
    entry = tell_us.receive_open_feedback(text="Evening groups", source=OpenFeedbackSource.WEB)
    item = tell_us.make_item(entry, user=None, summary="Parents want evening groups.", theme=theme)
    item.save_revision().publish()
    decision = make_decision([FeedbackItem.objects.get(pk=item.pk)])
    page = client.get(log_page.url + f"decisions/{decision.pk}/").content.decode()
    assert "Parents want evening groups." in page and "Parents told us" in page
    assert "Evening groups" not in page  # the parent's own words are never published
    records = client.get("/api/v1/feedback-items/").json()
    rows = records["results"] if isinstance(records, dict) else records
    assert [row["source"]["kind"] for row in rows] == ["told_us"]
    staff_login(CONSULTATION_OFFICERS)
    assert client.get(f"/admin/snippets/feedback_loop/feedbackitem/edit/{item.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_item_waiting_for_a_decision_is_in_the_digest_and_on_the_dashboard(client, staff_login, theme):
    from feedback_loop.services import digest_text

    entry = tell_us.receive_open_feedback(text="Evening groups", source=OpenFeedbackSource.WEB)
    item = tell_us.make_item(entry, user=None, summary="Parents want evening groups.", theme=theme)
    item.save_revision().publish()
    text = digest_text()
    assert "Parents told us" in text and "Parents want evening groups." in text
    staff_login(CONSULTATION_OFFICERS)
    dashboard = client.get("/admin/feedback/")
    assert dashboard.status_code == 200 and "Parents told us" in dashboard.content.decode()
