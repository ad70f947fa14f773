from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import demo, receivers  # noqa: F401 - anymail's tracking signal; the demo content hook
