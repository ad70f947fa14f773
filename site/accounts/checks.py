"""Deploy checks (`manage.py check --deploy`) for sign-in. Registered in AccountsConfig.ready()."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_staff_mfa(app_configs, **kwargs):
    if not settings.STAFF_MFA_REQUIRED:
        return [
            Error(
                "STAFF_MFA_REQUIRED is off: staff could use the admin without an authenticator app.",
                hint="production.py sets it to True; do not override it.",
                id="accounts.E001",
            )
        ]
    return []
