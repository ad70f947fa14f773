"""The coordinators' actions on an event, shown at the top of its edit form (not in the header's
"more" menu, where nobody finds them), and only to someone who may see the forum's people."""

from django.urls import reverse
from wagtail.admin.panels import HelpPanel, Panel

from .permissions import SEE_PEOPLE


class TranslationHelpPanel(HelpPanel):
    """Shown only when editing a translation: what it takes from the English page."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            page = self.instance
            return super().is_shown() and bool(getattr(page, "pk", None)) and page.is_translation


def people_actions(event) -> list[tuple[str, str]]:
    """(label, url) of an event's coordinator actions: bookings only where people book. A
    translation's are its English event's: its bookings and its forum's members are kept there."""
    event = getattr(event, "source_page", None) or event
    actions = []
    if event.booking_required:
        actions.append(("Bookings", reverse("forums_event_bookings", args=[event.pk])))
    if event.forum_id is not None:  # an event outside the fora has no members to send a notice to
        actions.append(("Send a notice to members", reverse("forums_event_notice", args=[event.pk])))
    return actions


class EventPeoplePanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Bookings and members")
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forums/admin/event_people_panel.html"

        def is_shown(self):
            event = self.instance
            return bool(
                event is not None
                and event.pk
                and self.request is not None
                and self.request.user.has_perm(SEE_PEOPLE, event)
            )

        def get_context_data(self, parent_context=None):
            from . import services

            context = super().get_context_data(parent_context)
            event = self.instance.source_page
            context["actions"] = people_actions(event)
            context["taken"] = services.places_taken(event) if event.booking_required else None
            context["event"] = event
            return context
