"""A web submit is saved once, however often it is sent (issue #19): the check-your-answers form
carries the answering session's submission key, and the response is stored with it."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from surveys import follow_up
from surveys.models import Answer, Response

from .failing_session import SessionStore
from .test_answering import REPLIES, _answer_all

pytestmark = pytest.mark.django_db
KEY = re.compile(r'<input type="hidden" name="submission_key" value="([^"]+)"')


def _check_page(client, page):
    _answer_all(client, page, REPLIES)
    check = client.get(f"/consultations/{page.pk}/check-your-answers/")
    assert check.status_code == 200
    return KEY.search(check.content.decode()).group(1)


def _send(client, page, key):
    return client.post(f"/consultations/{page.pk}/check-your-answers/", {"submission_key": key})


@pytest.fixture
def failing_sessions(settings):
    settings.SESSION_ENGINE = "tests.surveys.failing_session"
    yield SessionStore
    SessionStore.failing = False


def test_a_retry_after_the_session_failed_to_save_shows_the_response_already_saved(
    client, consultation, failing_sessions
):
    key = _check_page(client, consultation)
    client.raise_request_exception = False
    failing_sessions.failing = True
    lost = _send(client, consultation, key)
    # The response was committed, then saving the session failed: the parent sees an error page and
    # the session still holds their answers, as if nothing had been sent.
    assert lost.status_code == 500
    saved = Response.objects.get()
    answers = Answer.objects.count()

    failing_sessions.failing = False
    retry = _send(client, consultation, key)
    assert retry.status_code == 302 and retry["Location"].endswith("/done/")
    assert Response.objects.get() == saved and Answer.objects.count() == answers
    done = client.get(retry["Location"]).content.decode()
    assert "Thank you, your answers have been sent" in done and saved.reference in done
    assert "You have already answered" in client.get(consultation.url).content.decode()


def test_a_second_click_on_send_shows_the_confirmation_and_saves_nothing_more(client, consultation):
    key = _check_page(client, consultation)
    first = _send(client, consultation, key)
    again = _send(client, consultation, key)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert again["Location"].endswith("/done/")
    assert Response.objects.count() == 1
    assert Response.objects.get().submission_key == key


def test_each_answering_session_has_its_own_key(client, consultation, make_consultation):
    other_page = make_consultation(slug="other", title="Other consultation")
    key = _check_page(client, consultation)
    assert len(key) >= 32
    assert _check_page(client, other_page) != key
    assert _check_page(Client(), consultation) != key


def test_a_key_from_another_session_sends_nothing_and_reveals_nothing(client, consultation):
    theirs = _check_page(client, consultation)
    _send(client, consultation, theirs)
    sent = Response.objects.get()

    other = Client()
    mine = _check_page(other, consultation)
    replayed = _send(other, consultation, theirs)
    # Not their confirmation, not a save: this browser's own answers, to check and send.
    assert replayed.status_code == 302 and replayed["Location"].endswith("/check-your-answers/")
    assert Response.objects.count() == 1
    assert other.get(f"/consultations/{consultation.pk}/done/")["Location"] == consultation.url
    check = other.get(replayed["Location"]).content.decode()
    assert sent.reference not in check and f'value="{mine}"' in check

    own = _send(other, consultation, mine)
    assert own["Location"].endswith("/done/")
    assert Response.objects.count() == 2
    assert sent.reference not in other.get(own["Location"]).content.decode()


def test_a_key_used_on_another_consultation_finds_nothing_there(consultation, make_consultation):
    other_page = make_consultation(slug="other", title="Other consultation")
    sent = follow_up.submit_web_response(consultation, {}, contact_id=None, submission_key="k" * 32)
    assert follow_up.sent_with_key(consultation, "k" * 32) == sent
    assert follow_up.sent_with_key(other_page, "k" * 32) is None


def test_the_same_key_sent_twice_to_the_service_saves_once(consultation):
    first = follow_up.submit_web_response(consultation, {}, contact_id=None, submission_key="a" * 32)
    second = follow_up.submit_web_response(consultation, {}, contact_id=None, submission_key="a" * 32)
    assert first == second and Response.objects.count() == 1
    # Without a key (paper, text, older callers) every call is a response of its own.
    follow_up.submit_web_response(consultation, {}, contact_id=None)
    follow_up.submit_web_response(consultation, {}, contact_id=None)
    assert Response.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_submits_with_the_same_key_at_once_save_one_response(consultation):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: the second finds the first's key.")
    barrier = threading.Barrier(4)
    got = []

    def send():
        barrier.wait()
        try:
            got.append(
                follow_up.submit_web_response(consultation, {}, contact_id=None, submission_key="b" * 32)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.count() == 1
    assert len(got) == 4 and {response.pk for response in got} == {Response.objects.get().pk}
