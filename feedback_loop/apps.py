from django.apps import AppConfig


class FeedbackLoopConfig(AppConfig):
    name = "feedback_loop"
    verbose_name = "You said, we did"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from messaging.audiences import register_audience

        from . import demo, personal_data, receivers, retention, safeguarding_sources  # noqa: F401 - register with parentvoice  # noqa: F401 - register the demo hook and signal receivers
        from .services.outcomes import decision_contact_ids, decision_topics

        # Outcome notices for decision <id> go to the people behind it. Each campaign checks consent:
        # to outcomes in general, or a request to be told about one of the decision's topics.
        register_audience(
            "decision",
            lambda decision_id: decision_contact_ids(int(decision_id)),
            follow_topics=lambda decision_id: decision_topics(int(decision_id)),
        )
