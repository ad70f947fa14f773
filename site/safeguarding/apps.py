from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "parentvoice.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import personal_data, retention  # noqa: F401 - register with parentvoice.privacy
        from .models import ConcernTerm
        from .services import forget_screening_terms

        for signal in (post_save, post_delete):
            signal.connect(forget_screening_terms, sender=ConcernTerm, dispatch_uid=f"terms-{signal}")
