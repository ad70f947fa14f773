from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from messaging.audiences import (
            register_audience,
            register_follow_up,
            register_link_personaliser,
            register_topic_title,
        )
        from messaging.signals import registry

        from . import (  # noqa: F401 - register with parentvoice
            demo,
            demo_languages,  # after demo: it translates the main consultation demo made
            follow_up,
            invitations,
            personal_data,
            retention,
            safeguarding_sources,
        )
        from .models import ConsultationPage
        from .sms_dialogue import handle_inbound

        # Campaigns with link_personaliser "consultation:<page id>" give each person their own link;
        # previews show a link of the same length, and reminders count back from the closing time.
        register_link_personaliser(
            invitations.PERSONALISER,
            invitations.invitation_link,
            sample=invitations.sample_invitation_link,
            deadline=invitations.closing_time,
        )
        # Starting an invitation schedules its reminder, to the audience below.
        register_follow_up(invitations.PERSONALISER, invitations.schedule_reminder)
        register_audience(
            invitations.NOT_ANSWERED,
            invitations.not_answered_contact_ids,
            label="Invited to a consultation and not answered yet",
        )
        # Texts that are not STOP/START go to the SMS dialogue: keywords, YES to invitations, answers.
        registry.register_fallback(handle_inbound)
        # Everyone who took part: linked respondents and anyone who asked to be told about it. An
        # outcome campaign to this audience also reaches follow requests on the consultation's topic.
        register_audience(
            follow_up.TOOK_PART,
            follow_up.took_part_contact_ids,
            label="People who took part in a consultation",
            follow_topics=follow_up.took_part_topics,
        )
        register_topic_title("consultation", follow_up.topic_title)
        # Publishing the results tells the people who took part (once per consultation).
        page_published.connect(
            follow_up.on_page_published, sender=ConsultationPage, dispatch_uid="surveys.results_notice"
        )
