from urllib.parse import urlparse

from django.conf import settings
from django.db import migrations


def name_the_site(apps, schema_editor):
    # allauth's emails say "Hello from <site name>"; without this they say example.com.
    Site = apps.get_model("sites", "Site")
    domain = urlparse(settings.WAGTAILADMIN_BASE_URL).netloc or "localhost"
    Site.objects.update_or_create(id=settings.SITE_ID, defaults={"domain": domain, "name": settings.WAGTAIL_SITE_NAME})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_staff_roles"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
