"""Attack review of 'Save and come back later' (docs/save-and-come-back.md): closed consultations,
changed questions, another consultation's token, two tabs, odd saved answers, the saving browser's
session, and the per-address limit however the address is spelt."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from messaging.models import Message
from surveys import resume, services
from surveys.models import Response, ResumeLink
from tests.factories import ContactFactory

from .test_save_and_come_back import ALICE_IP, BOB_IP, _ask, _finish, _ids, _save_on_page_two, _saved_link

pytestmark = pytest.mark.django_db


def _state(client, page):
    return client.session.get(f"consultation-{page.pk}")


def _crafted_link(page, answers, position):
    """A link saved with these answers (as if the session had held them), and its path."""
    resume.save_for_later(page, answers, position, address="parent@example.org")
    message = Message.objects.order_by("-pk").first()
    return "/" + message.body.split("://", 1)[1].split("/", 1)[1].split()[0].rstrip("/") + "/"


def test_a_link_used_after_the_consultation_closed_restores_nothing_and_stays_unused(client, consultation):
    link = _saved_link(client, consultation)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save_revision().publish()
    other = Client()
    assert other.post(link).status_code in (404, 410)
    assert ResumeLink.objects.get().used_at is None and _state(other, consultation) is None


def test_another_consultations_token_neither_works_nor_uses_up_the_link(client, make_consultation):
    page = make_consultation()
    other_page = make_consultation(slug="other", title="Other")
    link = _saved_link(client, page)
    token = link.rstrip("/").split("/")[-1]
    stranger = Client()
    assert stranger.post(f"/consultations/{other_page.pk}/resume/{token}/").status_code == 404
    assert _state(stranger, other_page) is None and _state(stranger, page) is None
    assert ResumeLink.objects.get().used_at is None
    assert Client().post(link).status_code == 302  # still works for its owner


def test_two_tabs_using_the_same_link_only_one_gets_the_answers(client, consultation):
    link = _saved_link(client, consultation, ease="2")
    first, second = Client(), Client()
    assert first.post(link).status_code == 302
    refused = second.post(link)
    assert refused.status_code == 410 and "already been used" in refused.content.decode()
    assert _state(second, consultation) is None
    assert _state(first, consultation)["answers"][_ids(consultation)["ease"]] == "2"


def test_a_removed_question_and_a_changed_choice_are_asked_again(client, consultation):
    ids = _ids(consultation)
    link = _crafted_link(
        consultation,
        {ids["first-place"]: "no-longer-a-choice", ids["ease"]: "3", "removed-question": "x"},
        "removed-question",
    )
    other = Client()
    went = other.post(link)
    assert went.status_code == 302
    # The stopped-at question is gone: they go on to the first one still to answer, the changed choice.
    assert went["Location"].endswith(f"/question/{ids['first-place']}/")
    assert _state(other, consultation)["answers"] == {ids["ease"]: "3"}


@pytest.mark.parametrize(
    "value",
    ["Evening\x00 groups\u202e", "x" * 1_000_000, {"keys": ["talk"] * 10_000}, ["a", "b"], None, 10**30],
)
def test_odd_or_huge_saved_answers_are_cleaned_or_dropped_never_a_500(client, consultation, value):
    ids = _ids(consultation)
    link = _crafted_link(
        consultation,
        {ids["first-place"]: "online", ids["forum-barrier"]: value, ids["anything-else"]: value},
        ids["ease"],
    )
    other = Client()
    assert other.post(link).status_code == 302
    answers = _state(other, consultation)["answers"]
    for kept in answers.values():
        text = str(kept)
        assert "\x00" not in text and "\u202e" not in text and len(text) < 20_000
    _finish(other, consultation, f"/consultations/{consultation.pk}/question/{ids['ease']}/")
    assert Response.objects.count() == 1


def test_an_invitation_answers_once_across_the_saving_browser_and_the_link(client, consultation):
    """The saving browser's session still holds the answers after the link is used elsewhere (as
    documented). That is no second answer for an invitation: whichever sends second is refused."""
    contact = ContactFactory()
    client.get(
        f"/consultations/{consultation.pk}/invitation/{services.invitation_token(consultation.pk, contact.pk)}/"
    )
    link = _saved_link(client, consultation)
    other = Client()
    _finish(other, consultation, other.post(link)["Location"])
    ease = f"/consultations/{consultation.pk}/question/{_ids(consultation)['ease']}/"
    again = _finish(client, consultation, ease)
    assert Response.objects.count() == 1
    assert "already been used" in again.content.decode() or again.status_code in (302, 400, 409)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("07700 900123", "+44 7700 900123"),
        ("07700900123", "(07700) 900-123"),
        ("+447700900123", "447700900123"),
        ("Sam@Example.org", "  sam@example.ORG  "),
        ("sam@example.org", "sam @example.org"),
    ],
)
def test_the_per_address_limit_holds_however_the_address_is_spelt(
    client, consultation, settings, first, second
):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "resume_link": "100/h/ip",
        "recipient": "1/h/key",
    }
    _save_on_page_two(client, consultation, ease="3")
    assert _ask(client, consultation, first, ALICE_IP).status_code == 302
    refused = _ask(client, consultation, second, BOB_IP)
    assert refused.status_code in (429, 400)
    assert ResumeLink.objects.count() == Message.objects.count() == 1


def test_on_an_anonymous_consultation_the_message_row_is_wiped_once_sent(client, make_consultation, settings):
    """Outside the demo's SMS outbox, the message carrying the link is marked to lose its address and
    body once sent, and names no contact: nothing pairs the address with the saved answers."""
    from surveys.choices import Anonymity

    settings.SMS_PROVIDER = "twilio"
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    contact = ContactFactory(email="parent@example.org")
    client.get(f"/consultations/{page.pk}/invitation/{services.invitation_token(page.pk, contact.pk)}/")
    _save_on_page_two(client, page, ease="3")
    assert _ask(client, page, "parent@example.org").status_code == 302
    message = Message.objects.get()
    assert message.forget_after_send is True and message.contact_id is None
    assert ResumeLink.objects.get().contact_id is None
