from django.apps import AppConfig


class ParentVoiceConfig(AppConfig):
    name = "parentvoice"
    label = "parentvoice"
    verbose_name = "Parent Voice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - deploy checks
        from .converters import register

        register()  # <id:...> in every app's URLs
