"""Save and come back later (docs/save-and-come-back.md) once a browser has sent its answers: its
saved link restores nothing and is spent, and it cannot ask for another link."""

import pytest
from django.test import Client

from messaging.models import Message
from surveys.models import Response, ResumeLink

from .test_save_and_come_back import _ask, _finish, _q, _saved_link

pytestmark = pytest.mark.django_db


def _saved_then_sent(client, page):
    """Save on page 2 (a link is sent), then carry on in the same browser and send the answers."""
    link = _saved_link(client, page)
    sent = _finish(client, page, _q(page, "ease"))
    assert sent.status_code == 302 and sent["Location"].endswith("/done/")
    assert Response.objects.count() == 1
    return link


def test_the_link_opened_where_the_answers_were_sent_says_so_and_is_spent(client, consultation):
    link = _saved_then_sent(client, consultation)
    opened = client.get(link)
    html = opened.content.decode()
    assert opened.status_code == 410
    assert "You have already answered" in html and "Carry on with your answers" not in html
    saved = ResumeLink.objects.get()
    assert saved.used_at is not None and saved.answers == {}  # nothing left to send anywhere
    # Opened again here, it still says so; in another browser, the link is used.
    assert "You have already answered" in client.get(link).content.decode()
    elsewhere = Client().post(link)
    assert elsewhere.status_code == 410 and "This link has already been used" in elsewhere.content.decode()
    assert Response.objects.count() == 1


def test_pressing_the_button_where_the_answers_were_sent_restores_nothing(client, consultation):
    link = _saved_then_sent(client, consultation)
    pressed = client.post(link)
    assert pressed.status_code == 410 and "You have already answered" in pressed.content.decode()
    assert not client.session.get(f"consultation-{consultation.pk}")
    assert client.post(f"/consultations/{consultation.pk}/check-your-answers/").status_code == 302
    assert Response.objects.count() == 1


def test_no_link_is_sent_after_the_answers_are_sent(client, consultation):
    _saved_then_sent(client, consultation)
    Message.objects.all().delete()
    saved_links = ResumeLink.objects.count()
    save = client.post(_q(consultation, "ease"), {"save": "1", "answer": "3"})
    assert save.status_code == 302 and save["Location"] == consultation.url
    assert client.get(f"/consultations/{consultation.pk}/save-and-come-back/")["Location"] == consultation.url
    asked = _ask(client, consultation, "parent@example.org")
    assert asked.status_code == 302 and asked["Location"] == consultation.url
    assert not Message.objects.exists() and ResumeLink.objects.count() == saved_links


def test_an_unknown_link_in_that_browser_still_shows_nothing(client, consultation):
    _saved_then_sent(client, consultation)
    unknown = client.get(f"/consultations/{consultation.pk}/resume/{'A' * 43}/")
    assert unknown.status_code == 404 and "You have already answered" not in unknown.content.decode()
