from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from messaging.audiences import register_link_personaliser
        from messaging.signals import registry

        from . import demo  # noqa: F401 - registers the demo content hook
        from .services import invitation_url
        from .sms_dialogue import handle_inbound

        # Campaigns with link_personaliser "consultation:<page id>" give each person their own link.
        register_link_personaliser(
            "consultation", lambda page_id, contact_id: invitation_url(int(page_id), contact_id)
        )
        # Texts that are not STOP/START go to the SMS dialogue: keywords, YES to invitations, answers.
        registry.register_fallback(handle_inbound)
