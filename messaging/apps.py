from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # anymail's tracking signal; the demo content hook; deploy checks; safeguarding and data protection
        from . import checks, demo, personal_data, receivers, retention, safeguarding_sources  # noqa: F401
