from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Parent fora"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from messaging.audiences import register_audience, register_topic_title
        from messaging.signals import address_confirmed

        from . import (  # noqa: F401 - register with parentvoice
            demo,
            personal_data,
            retention,
            safeguarding_sources,
        )
        from .services.bookings import event_topic_title
        from .services.members import member_contact_ids, membership_after_confirmation

        # Campaigns with audience_source "forum:<page id>" reach that forum's current members.
        register_audience(
            "forum",
            lambda forum_id: member_contact_ids(int(forum_id)),
            label="Members of a parent forum",
            choices=lambda: [
                (str(pk), title)
                for pk, title in self.get_model("ForumPage")
                .objects.order_by("title")
                .values_list("pk", "title")
            ],
        )
        # A forum join finishes when the person confirms their address from the message we sent.
        address_confirmed.connect(membership_after_confirmation, dispatch_uid="forums.join_confirmed")
        # "event:<id>" follow requests (made when booking) are named by their meeting on the
        # preferences page.
        register_topic_title("event", event_topic_title)
