from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "parentvoice.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import personal_data, retention  # noqa: F401 - register with parentvoice.privacy
