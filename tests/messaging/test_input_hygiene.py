"""Input hygiene where text comes into messaging: inbound texts, the CSV import, the public forms, and
emails whose headers cannot be built (issue 12)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from twilio.request_validator import RequestValidator

from messaging import services
from messaging.choices import Channel, ImportStatus, MessageStatus, Purpose
from messaging.models import Contact, ContactImport, InboundMessage, Suppression
from parentvoice.accounts import roles
from parentvoice.text import NUL_MESSAGE
from tests.factories import ContactFactory, MessageFactory

pytestmark = pytest.mark.django_db
INBOUND_PATH = "/messaging/twilio/inbound/"


def _text_in(client, settings, body, sid, phone="+447700900123"):
    params = {"MessageSid": sid, "From": phone, "To": settings.TWILIO_FROM_NUMBER, "Body": body}
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.WAGTAILADMIN_BASE_URL + INBOUND_PATH, params
    )
    return client.post(INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_an_inbound_text_with_control_characters_is_stored_clean(client, settings):
    response = _text_in(client, settings, "Hello\x00 there\x1b[0m\r\nsecond\u202e line\x07", "SM" + "1" * 32)
    assert response.status_code == 200
    assert InboundMessage.objects.get().body == "Hello there[0m\nsecond line"


def test_stop_with_a_hidden_character_after_it_still_stops(client, settings):
    assert _text_in(client, settings, "STOP\x00", "SM" + "2" * 32).status_code == 200
    assert Suppression.objects.filter(channel=Channel.SMS, address="+447700900123").exists()


def test_a_status_callback_with_unusual_digits_in_its_id_is_not_a_500(client, settings):
    message = MessageFactory(status=MessageStatus.SENDING, provider_ref="SM" + "3" * 32)
    path = "/messaging/twilio/status/?m=%C2%B2"  # "²"
    params = {"MessageSid": message.provider_ref, "MessageStatus": "delivered"}
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.WAGTAILADMIN_BASE_URL + path, params
    )
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED  # found by its Twilio id instead


# --- The CSV import -------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, staff_login):
    client.user = staff_login(roles.CONSULTATION_OFFICERS)
    return client


def test_an_import_row_with_control_characters_is_stored_clean(
    officer_client, run_tasks, django_capture_on_commit_callbacks
):
    long_email = "a" * 243 + "@example.org"  # 255 characters: no mail server takes it
    csv_text = (
        "name,email,mobile,district,parent_role\n"
        "Ann\x07 \u202eSmith\x00,ann@example.org,,,\n"
        '"Bo\r\nJones",bo@example.org\x00,,,\n'
        f"Long,{long_email},,,\n"
    )
    officer_client.post(
        "/admin/messaging/imports/new/",
        {
            "file": SimpleUploadedFile("contacts.csv", csv_text.encode(), content_type="text/csv"),
            "purposes": [Purpose.CONSULTATIONS],
            "consent_wording": "Paper form\x07 at the Dover forum",
        },
    )
    contact_import = ContactImport.objects.get()
    assert contact_import.consent_wording == "Paper form at the Dover forum"
    assert "\x00" not in contact_import.csv_text  # stored until the import runs: PostgreSQL refuses NUL
    assert (contact_import.rows_valid, contact_import.rows_invalid) == (2, 1)
    assert contact_import.row_errors == [
        {"row": 4, "errors": ["the email address is longer than 254 characters"]}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/admin/messaging/imports/{contact_import.pk}/")
    run_tasks()
    assert ContactImport.objects.get().status == ImportStatus.DONE
    assert dict(Contact.objects.values_list("email", "name")) == {
        "ann@example.org": "Ann Smith",
        "bo@example.org": "Bo Jones",
    }


def test_a_nul_in_the_import_form_gets_a_clear_error(officer_client):
    response = officer_client.post(
        "/admin/messaging/imports/new/",
        {
            "file": SimpleUploadedFile("c.csv", b"name,email,mobile\nA,a@example.org,\n"),
            "purposes": [Purpose.CONSULTATIONS],
            "consent_wording": "\x00",
        },
    )
    assert response.status_code == 200 and NUL_MESSAGE in response.content.decode()
    assert not ContactImport.objects.exists()


# --- Public forms ---------------------------------------------------------------------------------


def test_a_nul_in_keep_me_informed_gets_a_clear_error_not_a_500(client):
    response = client.post(
        "/keep-me-informed/",
        {"name": "Pat\x00", "email": "pat@example.org", "purposes": [Purpose.CONSULTATIONS]},
    )
    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    assert not Contact.objects.exists()


def test_an_email_address_over_254_characters_is_refused_with_a_clear_error(client):
    response = client.post(
        "/keep-me-informed/",
        {"email": "a" * 243 + "@example.org", "purposes": [Purpose.CONSULTATIONS]},
    )
    assert response.status_code == 200
    assert "Enter an email address that is 254 characters or fewer" in response.content.decode()
    assert not Contact.objects.exists()


# --- Emails that cannot be built ------------------------------------------------------------------


def _email_message(subject):
    contact = ContactFactory(email="ann@example.org")
    return MessageFactory(contact=contact, channel=Channel.EMAIL, recipient=contact.email, subject=subject)


def test_a_line_break_in_a_subject_ends_as_a_technical_failure_not_stuck_sending():
    message = _email_message("Dover forum: a message from Ann\nBcc: everyone@example.org")
    assert services.send_message(message.pk) == MessageStatus.TECHNICAL_FAILURE
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert message.error_message == "The email could not be built: its subject has a line break in it"
    assert mail.outbox == []


class ExplodingBackend(BaseEmailBackend):
    """An email backend failing in a way nobody foresaw."""

    def send_messages(self, email_messages):
        raise RuntimeError("unforeseen")


def test_an_unforeseen_error_while_sending_is_a_technical_failure_not_stuck_sending(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ExplodingBackend"
    message = _email_message("Hello")
    assert services.send_message(message.pk) == MessageStatus.TECHNICAL_FAILURE
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert message.error_message == "Could not be sent: RuntimeError"
