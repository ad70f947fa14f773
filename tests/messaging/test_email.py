import pytest
from django.core import mail
from django.test import override_settings

from messaging import services
from messaging.choices import Channel, ConsentSource, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from messaging.providers import reset_providers

pytestmark = pytest.mark.django_db


@pytest.fixture
def anymail_test_backend():
    # pytest-django forces the locmem backend; anymail's test backend records ESP parameters.
    with override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"):
        reset_providers()
        yield
    reset_providers()


def _email_campaign():
    contact = Contact.objects.create(name="Pat", email="pat@example.org")
    services.record_consent(
        contact,
        channel=Channel.EMAIL,
        purpose=Purpose.OUTCOMES,
        granted=True,
        source=ConsentSource.WEB_FORM,
        wording="Yes",
    )
    campaign = Campaign.objects.create(
        name="Outcome",
        kind="outcome_notice",
        purpose=Purpose.OUTCOMES,
        send_sms=False,
        email_subject="What we did: ((title))",
        email_template="Hello ((name)),\n\nYou said, we did: ((link))",
        title="childcare",
        link_url="https://x.test/log/",
    )
    services.create_campaign_messages(campaign)
    return contact, Message.objects.get(campaign=campaign)


def test_campaign_email_carries_metadata_unsubscribe_headers_links_and_sender(anymail_test_backend):
    contact, message = _email_campaign()
    assert services.send_message(message.pk) == MessageStatus.SENT
    sent = mail.outbox[0]
    assert sent.to == ["pat@example.org"]
    assert sent.subject == "What we did: childcare"
    assert sent.anymail_test_params["metadata"] == {"message_id": str(message.pk)}
    token = services.preferences_token(contact.pk)
    assert sent.extra_headers["List-Unsubscribe"] == f"<http://testserver/unsubscribe/{token}/>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://testserver/preferences/{token}/" in sent.body
    assert "Sent by Kent Parent Voice." in sent.body
    message.refresh_from_db()
    assert message.provider == "email" and message.provider_ref


def test_an_email_to_a_suppressed_address_is_not_sent(anymail_test_backend):
    _, message = _email_campaign()
    services.suppress(Channel.EMAIL, "pat@example.org", "complaint")
    assert services.send_message(message.pk) == MessageStatus.SUPPRESSED
    assert mail.outbox == []
