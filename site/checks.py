"""Deploy checks (`manage.py check --deploy`) for the site. Registered in ParentVoiceConfig.ready()."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    count = getattr(settings, "TRUSTED_PROXY_COUNT", None)
    if count is None:
        return [
            Error(
                "TRUSTED_PROXY_COUNT is not set: rate limits would count the proxy's address, not the client's.",
                hint="Set it to the number of proxies in front of gunicorn that add to X-Forwarded-For "
                "(0 if none).",
                id="parentvoice.E001",
            )
        ]
    if not isinstance(count, int) or count < 0:
        return [Error("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.", id="parentvoice.E002")]
    return []
