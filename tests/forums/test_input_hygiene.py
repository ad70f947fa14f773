"""Input hygiene on the fora's public forms (issue 12)."""

import pytest
from django.core import mail

from forums.models import ForumEnquiry
from messaging import services as messaging
from messaging.choices import MessageStatus
from messaging.models import Message
from parentvoice.text import NUL_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(make_forum, make_user):
    forum = make_forum("Dover Parents Forum", "Dover")
    make_user(email="cara@example.org").groups.add(forum.coordinators)
    return forum


def test_a_line_break_in_a_name_never_reaches_an_email_subject(client, forum):
    response = client.post(
        f"/fora/{forum.pk}/contact/",
        {"name": "Sam\r\nBcc: everyone@example.org", "reply_to": "sam@example.org", "message": "Hi\r\nthere"},
    )
    assert response.status_code == 302
    enquiry = ForumEnquiry.objects.get()
    assert enquiry.name == "Sam Bcc: everyone@example.org" and enquiry.message == "Hi\nthere"
    email = Message.objects.get()
    assert email.subject == "Dover Parents Forum: a message from Sam Bcc: everyone@example.org"
    assert messaging.send_message(email.pk) == MessageStatus.SENT
    assert mail.outbox[0].subject == email.subject and mail.outbox[0].to == ["cara@example.org"]


def test_a_nul_in_a_forum_form_gets_a_clear_error_not_a_500(client, forum):
    response = client.post(
        f"/fora/{forum.pk}/contact/", {"name": "Sam", "reply_to": "sam@example.org", "message": "Hi\x00"}
    )
    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    assert not ForumEnquiry.objects.exists()
