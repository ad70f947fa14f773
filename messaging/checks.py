"""Deploy checks (`manage.py check --deploy`): production refuses a configuration that would send
nothing, accept forged email events or let staff text as anyone. Errors, not warnings: see
docs/security.md. Registered in MessagingConfig.ready()."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_sms_provider(app_configs, **kwargs):
    if settings.SMS_PROVIDER != "twilio":
        return [
            Error(
                f"SMS_PROVIDER is {settings.SMS_PROVIDER!r}: texts would not reach anyone.",
                hint="Set SMS_PROVIDER=twilio in production; 'outbox' is the demo's.",
                id="messaging.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_twilio_credentials(app_configs, **kwargs):
    errors = []
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        if not getattr(settings, name, ""):
            errors.append(
                Error(
                    f"{name} is not set.",
                    hint="Twilio needs it to send texts, and the auth token checks the signature of every "
                    "webhook Twilio sends us.",
                    id="messaging.E002",
                )
            )
    if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
        errors.append(
            Error(
                "Neither TWILIO_MESSAGING_SERVICE_SID nor TWILIO_FROM_NUMBER is set: texts have no sender.",
                hint="Set one of them.",
                id="messaging.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_email_webhook_secret(app_configs, **kwargs):
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return [
            Error(
                "ANYMAIL_WEBHOOK_SECRET is not set: anyone could post email delivery events, "
                "bounces and complaints.",
                hint="Set ANYMAIL_WEBHOOK_SECRET to a random 'user:password' and put the same in the "
                "tracking webhook's address at the email provider.",
                id="messaging.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_phone_simulator(app_configs, **kwargs):
    errors = []
    if settings.SMS_SIMULATOR_ENABLED:
        errors.append(
            Error(
                "SMS_SIMULATOR_ENABLED is on: the phone simulator lets staff text the service as a parent.",
                hint="Leave SMS_SIMULATOR_ENABLED unset (false) in production.",
                id="messaging.E005",
            )
        )
    if getattr(settings, "SMS_SIMULATOR_ANY_NUMBER", False):
        errors.append(
            Error(
                "SMS_SIMULATOR_ANY_NUMBER is on: the phone simulator would read and send as real numbers.",
                hint="It is for the demo only.",
                id="messaging.E006",
            )
        )
    return errors
