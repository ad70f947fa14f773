"""What officers see of text message answers, the SMS preview in the editor, and the phone simulator."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from messaging.models import InboundMessage
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS
from surveys.models import ConsultationPage, SmsConversation

from .texting import PHONE, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def texted(client, settings, keyword_consultation):
    """Two parents part way through, one finished."""
    for body in ["SUPPORT", "2", "9"]:
        text(Client(), settings, body)
    for body in ["SUPPORT", "1", "1", "1", "1", "1", "SKIP", "SKIP"]:
        text(Client(), settings, body, phone="+447700900456")
    return keyword_consultation


def test_officers_see_conversations_and_transcripts(
    client, staff_login, texted, django_assert_max_num_queries
):
    staff_login(CONSULTATION_OFFICERS)
    url = f"/admin/consultations/{texted.pk}/texts/"
    with django_assert_max_num_queries(25):
        page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert PHONE in body and "+447700900456" in body
    assert "Answering" in body and "Saved as a response" in body
    assert "Q1/8 Where do you go first" in body  # the SMS preview of every question
    conversation = SmsConversation.objects.get(phone=PHONE)
    detail = client.get(f"{url}{conversation.pk}/").content.decode()
    assert "Sorry, 9 is not one of the choices." in detail and "Not understood" in detail
    assert ">SUPPORT<" in detail


def test_list_queries_do_not_grow_with_conversations(client, settings, staff_login, texted):
    staff_login(CONSULTATION_OFFICERS)
    url = f"/admin/consultations/{texted.pk}/texts/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        text(Client(), settings, "SUPPORT", phone=f"+44770090070{n}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_decision_makers_and_the_public_do_not_see_phone_numbers(client, staff_login, texted):
    url = f"/admin/consultations/{texted.pk}/texts/"
    assert client.get(url).status_code == 302  # to sign in
    staff_login(DECISION_MAKERS)
    conversation = SmsConversation.objects.get(phone=PHONE)
    for refused in [url, f"{url}{conversation.pk}/"]:
        response = client.get(refused)  # Wagtail sends a refused user back to the dashboard
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert PHONE not in client.get(texted.url + "results/").content.decode()


def test_the_editor_previews_every_question_as_a_text_and_flags_long_ones(
    client, staff_login, keyword_consultation
):
    staff_login(CONSULTATION_OFFICERS)
    page = ConsultationPage.objects.get(pk=keyword_consultation.pk)
    questions = page.questions.raw_data
    questions[1]["value"]["label"] = "A very long question " * 15  # [0] is a section heading
    page.questions = questions
    page.save_revision()
    body = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "The questions as text messages" in body
    assert "Q1/8 A very long question" in body
    assert "Too long: 4 texts" in body


@pytest.mark.django_db(transaction=True)
def test_the_phone_simulator_texts_the_real_signed_webhook(
    client, settings, live_server, staff_login, keyword_consultation
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    staff_login(CONSULTATION_OFFICERS)
    url = "/admin/messaging/phone-simulator/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "07700 900123", "body": "SUPPORT"})
    assert response.status_code == 302 and "phone=%2B447700900123" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Q1/7 Where do you go first" in page
    assert "&lt;Response&gt;&lt;Message&gt;" in page  # the TwiML the webhook returned
    client.post(url, {"phone": "+447700900123", "body": "2"})
    assert InboundMessage.objects.filter(from_number=PHONE).count() == 2
    assert SmsConversation.objects.get(phone=PHONE).answers


def test_the_phone_simulator_checks_its_input_and_is_off_unless_enabled(client, settings, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    url = "/admin/messaging/phone-simulator/"
    page = client.post(url, {"phone": "not a phone", "body": "hi"}).content.decode()
    assert "Enter a phone number, like 07700 900123" in page
    page = client.post(url, {"phone": "07700900123", "body": "  "}).content.decode()
    assert "Enter the text to send" in page
    settings.SMS_SIMULATOR_ENABLED = False
    assert client.get(url).status_code == 404


def test_officers_find_text_answers_from_the_consultations_page_buttons(
    client, staff_login, keyword_consultation
):
    staff_login(CONSULTATION_OFFICERS)
    url = f"/admin/consultations/{keyword_consultation.pk}/texts/"
    assert url in client.get(f"/admin/pages/{keyword_consultation.pk}/edit/").content.decode()
    listing = client.get(f"/admin/pages/{keyword_consultation.get_parent().pk}/").content.decode()
    assert url in listing
