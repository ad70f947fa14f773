from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Parent fora"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from messaging.audiences import register_audience

        from . import demo  # noqa: F401 - registers the demo content hook
        from .services import member_contact_ids

        # Campaigns with audience_source "forum:<page id>" reach that forum's current members.
        register_audience("forum", lambda forum_id: member_contact_ids(int(forum_id)))
