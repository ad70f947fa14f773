import pytest

from messaging.providers import reset_providers

from .fake_twilio import FakeTwilio


@pytest.fixture
def fake_twilio(settings):
    """The real twilio client, pointed at a local fake (`client.api.base_url`)."""
    with FakeTwilio() as fake:
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_API_BASE_URL = fake.url
        settings.TWILIO_TIMEOUT_SECONDS = 0.5
        reset_providers()
        yield fake
    reset_providers()
