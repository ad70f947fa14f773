from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from wagtail.models import Site


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised for Parent Voice."""

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    def format_email_subject(self, subject):
        # allauth's default prefixes "[example.com]"; ours names the service the way the site does.
        return f"{self._site_name()}: {subject}"

    def send_mail(self, template_prefix, email, context):
        context.setdefault("service_name", self._site_name())
        super().send_mail(template_prefix, email, context)

    def _site_name(self):
        site = Site.objects.filter(is_default_site=True).only("site_name").first()
        return (site.site_name if site and site.site_name else None) or settings.WAGTAIL_SITE_NAME
