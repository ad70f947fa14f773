"""'Tell us' gaps (docs/tell-us.md): the public log's year filter finds 'Parents told us' items, and
the officer's form records that a parent asked to hear back, with the words read to them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback_loop.models import FeedbackItem, OpenFeedback, OpenFeedbackSource
from feedback_loop.services import decision_contact_ids, tell_us
from feedback_loop.services.public_log import filter_choices, filter_items, public_items
from feedback_loop.tell_us_forms import RecordOpenFeedbackForm, TellUsForm
from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, FollowRoute
from messaging.models import AddressConfirmation, Contact, FollowRequest
from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from parentvoice.models import District

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def dover(db):
    return District.objects.get_or_create(slug="dover", defaults={"name": "Dover"})[0]


def _told_us_item(theme, text, summary, received):
    entry = tell_us.receive_open_feedback(text=text, source=OpenFeedbackSource.WEB)
    OpenFeedback.objects.filter(pk=entry.pk).update(received_at=received)
    item = tell_us.make_item(entry, user=None, summary=summary, theme=theme)
    item.save_revision().publish()
    return FeedbackItem.objects.get(pk=item.pk)


# --- The public log's year filter -------------------------------------------------------------


def test_the_year_filter_finds_what_parents_told_us_in_that_year(client, log_page, theme):
    _told_us_item(
        theme, "Buses stop at 6.", "Buses stop too early.", datetime(2024, 12, 31, 23, 30, tzinfo=LONDON)
    )
    _told_us_item(
        theme, "Parking is hard.", "Parking at the centre is hard.", datetime(2025, 3, 1, tzinfo=LONDON)
    )

    # Both years are offered, and each item is in its own year only.
    assert {2024, 2025} <= set(filter_choices()["years"])
    in_2024 = [item.summary for item in filter_items(public_items(), year=2024)]
    in_2025 = [item.summary for item in filter_items(public_items(), year=2025)]
    assert (in_2024, in_2025) == (["Buses stop too early."], ["Parking at the centre is hard."])

    html = client.get(f"{log_page.url}?year=2024").content.decode()
    assert "Buses stop too early." in html and "Parents told us" in html
    assert "Parking at the centre is hard." not in html and "Select a valid choice" not in html


def test_an_item_is_in_the_year_parents_first_told_us(theme):
    item = _told_us_item(theme, "First.", "Evening sessions.", datetime(2024, 6, 1, tzinfo=LONDON))
    later = tell_us.receive_open_feedback(text="Again.", source=OpenFeedbackSource.SMS)
    OpenFeedback.objects.filter(pk=later.pk).update(received_at=datetime(2025, 6, 1, tzinfo=LONDON))
    tell_us.add_to_item(later, user=None, item=item)
    assert [i.pk for i in filter_items(public_items(), year=2024)] == [item.pk]
    assert not filter_items(public_items(), year=2025).exists()
    assert 2025 not in filter_choices()["years"]


# --- The officer's form: they asked to hear back -----------------------------------------------


def _record(client, **data):
    return client.post(
        "/admin/tell-us/record/",
        {"source": "helpline", "district": "dover", "text": "Nowhere to park at the centre", **data},
    )


def test_the_officer_form_shows_the_words_to_read_out(client, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    html = client.get("/admin/tell-us/record/").content.decode()
    assert "They asked to be told what happens" in html
    assert "We will send you one message when we decide what to do about what you told us" in html


def test_a_parent_on_the_helpline_who_asked_to_hear_back_is_told_once_they_confirm(
    client, staff_login, dover, theme, make_decision
):
    staff_login(CONSULTATION_OFFICERS)
    response = _record(client, hear_back="on", mobile="07700 900 461")
    assert response.status_code == 302
    entry = OpenFeedback.objects.get()
    assert entry.contact is None  # the address is never kept on the entry
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.channel, confirmation.address) == (Channel.SMS, "+447700900461")
    assert confirmation.follow_up == f"follow:officer:tell-us:{entry.pk}"
    assert "on the helpline" in confirmation.wording and tell_us.HEAR_BACK_WORDING in confirmation.wording
    assert not FollowRequest.objects.exists()  # typed by someone else: its owner confirms first

    messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.SMS_REPLY)
    follow = FollowRequest.objects.get()
    assert (follow.topic, follow.route, follow.confirmed_by) == (
        f"tell-us:{entry.pk}",
        FollowRoute.OFFICER,
        ConfirmedBy.SMS_REPLY,
    )
    assert follow.wording == tell_us.officer_wording(entry)

    item = tell_us.make_item(entry, user=None, summary="There is nowhere to park.", theme=theme)
    item.save_revision().publish()
    decision = make_decision([FeedbackItem.objects.get(pk=item.pk)])
    parent = Contact.objects.get(mobile="+447700900461")
    assert list(decision_contact_ids(decision.pk)) == [{"pk": parent.pk}]


def test_an_email_address_heard_at_a_school_gate_is_confirmed_first(client, staff_login, dover):
    staff_login(CONSULTATION_OFFICERS)
    _record(client, source="school_gate", hear_back="on", email=" Sam@Example.org ")
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.channel, confirmation.address) == (Channel.EMAIL, "sam@example.org")
    assert "at a school gate" in confirmation.wording


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"hear_back": "on"}, "email", "Enter the email address or mobile number they gave"),
        ({"mobile": "07700 900 461"}, "hear_back", "Tick this if they asked to be told what happens"),
        ({"hear_back": "on", "mobile": "01632 960 000"}, "mobile", "mobile"),
    ],
)
def test_asking_to_hear_back_needs_both_the_tick_and_an_address(
    client, staff_login, dover, data, field, error
):
    staff_login(CONSULTATION_OFFICERS)
    response = _record(client, **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert error in " ".join(form.errors[field])
    assert not OpenFeedback.objects.exists() and not AddressConfirmation.objects.exists()


def test_without_the_tick_nothing_is_sent(client, staff_login, dover):
    staff_login(CONSULTATION_OFFICERS)
    assert _record(client).status_code == 302
    assert OpenFeedback.objects.count() == 1 and not AddressConfirmation.objects.exists()


def test_the_service_refuses_a_source_an_officer_cannot_record(dover):
    with pytest.raises(ValueError):
        tell_us.record_told_by_officer(text="Forged", source=OpenFeedbackSource.WEB, user=None)
    assert not OpenFeedback.objects.exists()


# --- One set of contact fields ------------------------------------------------------------------


@pytest.mark.parametrize("form_class", [TellUsForm, RecordOpenFeedbackForm])
def test_both_tell_us_forms_use_the_shared_contact_fields_without_requiring_them(form_class):
    base = {"text": "Hello", "source": "helpline"}
    assert form_class(base).is_valid()
    bad = form_class({**base, "hear_back": "on", "email": "not-an-email", "mobile": "01632 960 000"})
    assert not bad.is_valid()
    assert bad.errors["email"] == ["Enter an email address in the right format, like name@example.com"]
    assert "mobile" in bad.errors
    good = form_class({**base, "hear_back": "on", "email": "Pat@Example.ORG", "mobile": "07700 900 461"})
    assert good.is_valid(), good.errors
    assert (good.cleaned_data["email"], good.cleaned_data["mobile"]) == ("pat@example.org", "+447700900461")
