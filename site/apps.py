from django.apps import AppConfig


class ParentVoiceConfig(AppConfig):
    name = "parentvoice"
    label = "parentvoice"
    verbose_name = "Parent Voice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (  # noqa: F401 - register with the registries
            checks,
            page_cache,
            personal_data,
            retention,
            safeguarding_sources,
        )
        from .converters import register

        register()  # <id:...> in every app's URLs
        page_cache.connect_signals()  # anything public pages show, saved or deleted, purges them
