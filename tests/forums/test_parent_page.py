"""A parent's own page reached by a one-time link: asking for it without revealing who is known, the
link working once and not for ever, and the page showing and changing only that person's things."""

import logging
import re
import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forums import parent_page_views, services
from forums.choices import BookingStatus
from forums.models import Booking, Membership, ParentPageLink
from forums.retention import delete_expired_parent_page_links
from messaging.choices import Channel
from messaging.models import FollowRequest, Message
from messaging.services import sms_body
from messaging.sms import segment_info
from tests.factories import BookingFactory, ContactFactory, FollowRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db
ALICE_IP, BOB_IP = "203.0.113.5", "203.0.113.66"
NONCE = re.compile(rb'nonce="[^"]*"')


@pytest.fixture
def forum(make_forum):
    return make_forum("Dover Parents Forum", "Dover")


@pytest.fixture
def event(forum, make_event):
    return make_event(forum, "Have your say", days=5, booking_required=True, capacity=20)


def _ask(client, address, ip=ALICE_IP, **extra):
    return client.post("/my-page/", {"address": address, **extra}, REMOTE_ADDR=ip)


def _send_all():
    """Send what the requests queued: the task's work, run here rather than by a worker."""
    for link in ParentPageLink.objects.order_by("pk"):
        services.send_parent_page_link(link.pk)


def _queued():
    return DBTaskResult.objects.filter(task_path__endswith=".send_parent_page_link")


def _link(channel=Channel.EMAIL, address="sam@example.org", *, minutes=60, **fields):
    token = secrets.token_urlsafe(32)
    ParentPageLink.objects.create(
        channel=channel,
        address=address,
        token_hash=services.token_hash(token),
        expires_at=timezone.now() + timedelta(minutes=minutes),
        **fields,
    )
    return token


def _open(client, token):
    return client.post(f"/my-page/open/{token}/")


def _signed_in(client, channel=Channel.EMAIL, address="sam@example.org"):
    response = _open(client, _link(channel, address))
    assert response.status_code == 302 and response["Location"] == "/my-page/you/"
    return client


# --- Asking for a link -------------------------------------------------------------------------


def test_a_known_email_gets_one_message_with_a_link_that_only_its_hash_is_kept_for(
    client, django_capture_on_commit_callbacks
):
    ContactFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, "  Sam@EXAMPLE.org ")
    assert response.status_code == 302 and response["Location"] == "/my-page/check/"
    link = ParentPageLink.objects.get()
    assert (link.channel, link.address) == ("email", "sam@example.org")
    # The queued task carries the link's id alone: no address, no token in the task queue.
    (queued,) = _queued()
    assert queued.args_kwargs["args"] == [link.pk] and "example.org" not in str(queued.args_kwargs)

    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_parent_page_link(link.pk) is True
        assert services.send_parent_page_link(link.pk) is False  # a retried task sends nothing more
    message = Message.objects.get()
    assert (message.channel, message.recipient) == ("email", "sam@example.org")
    token = re.search(r"/my-page/open/([A-Za-z0-9_-]{43})/", message.body).group(1)
    link.refresh_from_db()
    assert link.token_hash == services.token_hash(token) and token not in link.token_hash
    assert client.get(f"/my-page/open/{token}/").status_code == 200


def test_a_mobile_known_from_a_booking_gets_a_text_of_at_most_two_segments(event, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://parent-voice.kent-childrens-trust.example.gov.uk"
    BookingFactory(event=event, email="", mobile="+447700900123")
    services.request_parent_page_link("07700 900 123")
    _send_all()
    message = Message.objects.get()
    assert (message.channel, message.recipient) == ("sms", "+447700900123")
    assert "/my-page/open/" in message.body
    assert segment_info(message.body).segments <= 2


def test_the_longest_text_is_still_two_segments(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://" + "a" * 60 + ".example.gov.uk"
    _, body = services.link_message(Channel.SMS, services.parent_page_link_url("x" * 43))
    assert segment_info(sms_body(body)).segments <= 2


def test_an_unknown_address_gets_nothing_and_the_same_answer_byte_for_byte(
    client, event, django_capture_on_commit_callbacks
):
    BookingFactory(event=event, email="known@example.org")
    answers = []
    for address in ("known@example.org", "stranger@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            posted = _ask(client, address)
        page = client.get(posted["Location"])
        answers.append(
            (posted.status_code, posted["Location"], page.status_code, NONCE.sub(b"", page.content))
        )
    assert answers[0] == answers[1]
    assert b"Check your email or phone" in answers[0][3]
    # The same work was done for both: a link row and a queued task each.
    assert ParentPageLink.objects.count() == 2 and _queued().count() == 2
    _send_all()
    assert list(Message.objects.values_list("recipient", flat=True)) == ["known@example.org"]


def test_an_anonymised_booking_no_longer_makes_its_address_known(event):
    BookingFactory(event=event, email="", mobile="", name="[removed]")
    assert not services.address_is_known(Channel.EMAIL, "")
    services.request_parent_page_link("gone@example.org")
    _send_all()
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter an email address, like name@example.com, or a UK mobile number"),
        ("a" * 5000 + "@example.org", "254 characters or fewer"),
        ("not an address", "Enter an email address, like name@example.com, or a UK mobile number"),
        ("sam@", "Enter an email address in the right format"),
        ("01632 960 001", "Enter a UK mobile number"),
        ("+33 6 12 34 56 78", "We cannot text numbers outside the UK"),
        ("😀😀😀", "Enter an email address, like name@example.com, or a UK mobile number"),
        ("sam\x00@example.org", "hidden character"),
    ],
)
def test_what_is_not_an_address_gets_a_clear_error_and_nothing_is_recorded(client, typed, error):
    response = _ask(client, typed)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert 'class="govuk-error-summary' in response.content.decode()
    assert not ParentPageLink.objects.exists()


def test_control_characters_and_bidi_marks_are_dropped_not_stored(client):
    assert _ask(client, "sa\u202em\x07@example.org").status_code == 302
    assert ParentPageLink.objects.get().address == "sam@example.org"


def test_a_filled_in_honeypot_is_refused(client):
    response = _ask(client, "sam@example.org", extra_details="buy now")
    assert response.status_code == 200 and not ParentPageLink.objects.exists()


def test_asking_is_limited_per_address_however_it_is_spelt_and_per_client(client, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "parent_page": "100/h/ip,1/h/key"}
    assert _ask(client, "07700 900123").status_code == 302
    assert _ask(client, "+447700900123", BOB_IP).status_code == 429
    assert _ask(client, "sam@example.org", BOB_IP).status_code == 302
    assert _ask(client, "SAM@example.org", ALICE_IP).status_code == 429
    assert ParentPageLink.objects.count() == 2
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "parent_page": "1/h/ip"}
    assert _ask(client, "one@example.org", "198.51.100.1").status_code == 302
    assert _ask(client, "two@example.org", "198.51.100.1").status_code == 429


# --- The link -----------------------------------------------------------------------------------


def test_opening_the_link_does_not_use_it_continuing_does_and_only_once(client):
    token = _link()
    for _ in range(2):  # a mail scanner, then the parent
        page = client.get(f"/my-page/open/{token}/")
        assert page.status_code == 200 and "Continue to your page" in page.content.decode()
    assert ParentPageLink.objects.get().used_at is None
    assert _open(client, token)["Location"] == "/my-page/you/"
    assert ParentPageLink.objects.get().used_at is not None

    again = _open(client, token)
    assert again.status_code == 410 and "This link has already been used" in again.content.decode()
    elsewhere = Client()
    refused = _open(elsewhere, token)
    assert refused.status_code == 410 and "already been used" in refused.content.decode()
    assert 'action="/my-page/"' in refused.content.decode()  # a form to ask for a new one
    assert elsewhere.get("/my-page/you/")["Location"] == "/my-page/"


def test_an_expired_link_is_refused(client):
    token = _link(minutes=-1)
    assert "This link has expired" in client.get(f"/my-page/open/{token}/").content.decode()
    refused = _open(client, token)
    assert refused.status_code == 410 and "This link has expired" in refused.content.decode()
    assert ParentPageLink.objects.get().used_at is None
    assert client.get("/my-page/you/")["Location"] == "/my-page/"


def test_a_link_that_expired_is_not_sent_by_a_late_task(event):
    BookingFactory(event=event, email="sam@example.org")
    services.request_parent_page_link("sam@example.org")
    ParentPageLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _send_all()
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["abc", "x" * 42 + "!", "x" * 44, "Qm9yaW5nIGJ1dCBzdGVhZHk_dG9rZW4tb2YtNDMtY2h", "%00" * 20, "ä" * 43],
)
def test_a_token_of_any_other_shape_or_unknown_gets_the_same_not_working_page(client, token):
    _link()
    for response in (client.get(f"/my-page/open/{token}/"), _open(client, token)):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert ParentPageLink.objects.get().used_at is None


def test_a_link_for_an_unknown_address_has_no_usable_token(client):
    services.request_parent_page_link("stranger@example.org")
    _send_all()
    link = ParentPageLink.objects.get()
    assert not Message.objects.exists() and link.used_at is None
    assert len(link.token_hash) == 64  # the hash of a token nobody was given


def test_using_the_link_starts_a_new_session_that_lasts_a_limited_time(client):
    client.get("/my-page/")
    client.cookies["sessionid"] = "fixed-by-an-attacker"
    _signed_in(client)
    assert client.cookies["sessionid"].value != "fixed-by-an-attacker"
    session = client.session
    held = session[parent_page_views.SESSION_KEY]
    assert held["address"] == "sam@example.org"
    held["until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session[parent_page_views.SESSION_KEY] = held
    session.save()
    assert client.get("/my-page/you/")["Location"] == "/my-page/"
    assert parent_page_views.SESSION_KEY not in client.session


def test_the_pages_are_not_stored_or_indexed(client):
    token = _link()
    for response in (
        client.get(f"/my-page/open/{token}/"),
        _open(client, token),
        client.get("/my-page/you/"),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]


def test_signing_out_forgets_the_address(client):
    _signed_in(client)
    assert client.post("/my-page/you/sign-out/")["Location"] == "/my-page/"
    assert client.get("/my-page/you/")["Location"] == "/my-page/"


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def two_parents(event, forum, make_forum, make_event):
    """Sam (email) and another parent called Sam, each with a booking, a membership and a request."""
    other_forum = make_forum("Thanet Parents Forum", "Thanet")
    past = make_event(forum, "Spring meeting", days=-30, booking_required=True, capacity=20)
    sam = ContactFactory(email="sam@example.org", mobile="+447700900123")
    other = ContactFactory(name="Sam", email="other@example.org", mobile="+447700900456")
    return {
        "sam_booking": BookingFactory(event=event, name="Sam", email="SAM@example.org"),
        "sam_past": BookingFactory(event=past, name="Sam", email="sam@example.org"),
        "sam_by_text": BookingFactory(event=event, name="Sam", email="", mobile="+447700900123"),
        "other_booking": BookingFactory(event=event, name="Sam", email="other@example.org"),
        "sam_member": MembershipFactory(forum=forum, contact=sam),
        "other_member": MembershipFactory(forum=other_forum, contact=other),
        "sam_follow": FollowRequestFactory(contact=sam, topic=f"event:{event.pk}"),
        "other_follow": FollowRequestFactory(contact=other, topic=f"event:{past.pk}"),
        "sam": sam,
        "other": other,
        "other_forum": other_forum,
        "past": past,
    }


def test_the_page_shows_that_address_s_things_and_nobody_else_s(client, two_parents, event):
    page = _signed_in(client).get("/my-page/you/")
    html = page.content.decode()
    assert page.status_code == 200
    mine = page.context["mine"]
    assert [r.booking for r in mine.upcoming] == [two_parents["sam_booking"]]
    assert [r.booking for r in mine.past] == [two_parents["sam_past"]]
    assert mine.memberships == [two_parents["sam_member"]]
    assert [(f.topic, f.title) for f in mine.follows] == [(f"event:{event.pk}", "Have your say")]
    assert "Thanet Parents Forum" not in html and "Spring meeting" in html
    assert "other@example.org" not in html and "sam@example.org" not in html  # shown masked: s•••@
    assert f"/my-page/you/bookings/{two_parents['other_booking'].pk}/" not in html
    assert "/fora/bookings/" in html  # add to calendar
    assert "/preferences/" in html


def test_the_page_for_a_mobile_shows_the_bookings_made_with_it(client, two_parents):
    mine = _signed_in(client, Channel.SMS, "+447700900123").get("/my-page/you/").context["mine"]
    assert [r.booking for r in mine.upcoming] == [two_parents["sam_by_text"]]
    assert mine.memberships == [two_parents["sam_member"]]  # the same contact holds the number


def test_an_address_with_nothing_gets_a_page_that_says_so(client):
    html = _signed_in(client, address="nobody@example.org").get("/my-page/you/").content.decode()
    assert "You have no bookings made with this email address" in html
    assert "You do not belong to any parent forum" in html


def test_the_page_takes_a_fixed_number_of_queries(
    client, two_parents, event, forum, django_assert_max_num_queries
):
    _signed_in(client)
    client.get("/my-page/you/")  # the first page of a site makes its settings row
    with django_assert_max_num_queries(11):
        client.get("/my-page/you/")
    for n in range(5):
        BookingFactory(event=event, email="sam@example.org")
        FollowRequestFactory(contact=two_parents["sam"], topic=f"consultation:{9000 + n}")
    with django_assert_max_num_queries(11):
        assert len(client.get("/my-page/you/").context["mine"].upcoming) == 6


def test_cancelling_own_booking_works_and_another_s_is_a_404(client, two_parents):
    _signed_in(client)
    mine, theirs = two_parents["sam_booking"], two_parents["other_booking"]
    assert client.post(f"/my-page/you/bookings/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"/my-page/you/bookings/{mine.pk}/cancel/").status_code == 405
    assert client.post(f"/my-page/you/bookings/{mine.pk}/cancel/")["Location"] == "/my-page/you/"
    assert Booking.objects.get(pk=mine.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED
    assert "is cancelled" in client.get("/my-page/you/").content.decode()


def test_leaving_own_forum_works_and_another_s_membership_is_a_404(client, two_parents):
    _signed_in(client)
    mine, theirs = two_parents["sam_member"], two_parents["other_member"]
    assert client.post(f"/my-page/you/fora/{theirs.pk}/leave/").status_code == 404
    assert client.post(f"/my-page/you/fora/{mine.pk}/leave/")["Location"] == "/my-page/you/"
    assert Membership.objects.get(pk=mine.pk).left_at is not None
    assert Membership.objects.get(pk=theirs.pk).left_at is None


def test_stopping_own_request_works_and_another_s_is_a_404(client, two_parents):
    _signed_in(client)
    theirs = two_parents["other_follow"]
    assert client.post("/my-page/you/requests/stop/", {"topic": theirs.topic}).status_code == 404
    assert client.post("/my-page/you/requests/stop/", {"topic": "x" * 5000}).status_code == 404
    mine = two_parents["sam_follow"]
    assert client.post("/my-page/you/requests/stop/", {"topic": mine.topic}).status_code == 302
    assert list(FollowRequest.objects.all()) == [theirs]


def test_nothing_can_be_done_without_the_session(client, two_parents):
    for url in (
        f"/my-page/you/bookings/{two_parents['sam_booking'].pk}/cancel/",
        f"/my-page/you/fora/{two_parents['sam_member'].pk}/leave/",
        "/my-page/you/requests/stop/",
    ):
        assert client.post(url, {"topic": two_parents["sam_follow"].topic})["Location"] == "/my-page/"
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 0
    assert Membership.objects.filter(left_at__isnull=False).count() == 0
    assert FollowRequest.objects.count() == 2


# --- Outbox and retention -----------------------------------------------------------------------


@pytest.mark.parametrize(("provider", "forgotten"), [("outbox", False), ("twilio", True)])
def test_the_link_is_wiped_from_the_outbox_once_sent_except_in_the_demo(event, settings, provider, forgotten):
    settings.SMS_PROVIDER = provider
    BookingFactory(event=event, email="sam@example.org")
    services.request_parent_page_link("sam@example.org")
    _send_all()
    assert Message.objects.get().forget_after_send is forgotten


def test_links_are_deleted_a_day_after_they_expire():
    now = timezone.now()
    _link(minutes=-(24 * 60 + 1))
    _link(minutes=-(24 * 60 - 1))
    _link(minutes=30)
    assert delete_expired_parent_page_links(now, dry_run=True) == 1
    assert delete_expired_parent_page_links(now, dry_run=False) == 1
    assert ParentPageLink.objects.count() == 2


def test_the_token_never_reaches_a_log(client, caplog):
    from parentvoice.log_filters import redact

    token = _link()
    assert token not in redact(f'"POST /my-page/open/{token}/ HTTP/1.1" 302')
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/my-page/open/{'x' * 43}/")
    assert "x" * 43 not in caplog.text
