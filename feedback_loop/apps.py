from django.apps import AppConfig


class FeedbackLoopConfig(AppConfig):
    name = "feedback_loop"
    verbose_name = "You said, we did"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from messaging.audiences import register_audience, register_topic_title
        from messaging.signals import registry

        from . import demo, demo_tell_us, personal_data, receivers, retention, safeguarding_sources  # noqa: F401 - register the demo hooks and signal receivers
        from .services.outcomes import decision_contact_ids, decision_topics
        from .services.tell_us import TELL_US_TOPIC, handle_tell_sms

        # 'Tell us' by text: "TELL <message>" (docs/tell-us.md). Consultation keywords may not be TELL.
        registry.register_keyword(settings.TELL_US_KEYWORD, handle_tell_sms)
        register_topic_title(TELL_US_TOPIC, lambda entry_id: f"What you told us (reference TU-{entry_id})")

        # Outcome notices for decision <id> go to the people behind it. Each campaign checks consent:
        # to outcomes in general, or a request to be told about one of the decision's topics.
        register_audience(
            "decision",
            lambda decision_id: decision_contact_ids(int(decision_id)),
            follow_topics=lambda decision_id: decision_topics(int(decision_id)),
        )
