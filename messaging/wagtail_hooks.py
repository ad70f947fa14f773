"""The Messaging area of the Wagtail admin. Contacts, consents and messages are personal data: each
screen needs its model permission, which only the Consultation officers role has (see roles.py)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSet, SnippetViewSetGroup

from parentvoice.privacy.columns import ContactDetailColumn

from . import admin_views, simulator
from .admin_forms import CampaignForm, ContactForm
from .admin_panels import CampaignLanguagesPanel, SmsLengthPanel
from .choices import CampaignStatus
from .models import Campaign, Contact, InboundMessage, Message, Suppression


class ContactInspectView(InspectView):
    """The contact's details and their consent history with its evidence."""

    template_name = "messaging/admin/contact_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = self.object.consents.select_related("recorded_by").order_by(
            "-recorded_at", "-id"
        )
        return context


class ContactViewSet(SnippetViewSet):
    model = Contact
    inspect_view_class = ContactInspectView
    icon = "user"
    menu_label = "Contacts"
    # Email and mobile in full only for staff with privacy.view_contact_details; masked for others.
    list_display = [
        "name",
        ContactDetailColumn("email", label="Email"),
        ContactDetailColumn("mobile", label="Mobile"),
        "district",
        "parent_role",
        "created_at",
    ]
    list_filter = ["district", "parent_role", "preferred_channel"]
    search_fields = ["name", "email", "mobile"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "email",
        "mobile",
        "district",
        "language",
        "preferred_channel",
        "parent_role",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("mobile")]),
            FieldPanel("district"),
            FieldRowPanel([FieldPanel("preferred_channel"), FieldPanel("language")]),
            FieldPanel("parent_role"),
        ],
        base_form_class=ContactForm,
    )

    def get_queryset(self, request):
        return Contact.objects.select_related("district")


class CampaignEditView(EditView):
    """Only a draft can be changed. Once confirmed, a campaign's audience and wording are what was
    checked and sent: editing a waiting reminder's list, say, would send it to people nobody checked."""

    def dispatch(self, request, *args, **kwargs):
        campaign = self.get_object()
        if campaign.status != CampaignStatus.DRAFT:
            messages.error(request, "This campaign has been confirmed, so it can no longer be changed.")
            return redirect("messaging_campaign_progress", campaign.pk)
        return super().dispatch(request, *args, **kwargs)


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    edit_view_class = CampaignEditView
    icon = "mail"
    menu_label = "Campaigns"
    list_display = ["name", "kind", "status", Column("recipient_count", label="Messages"), "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("purpose")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("send_sms"), FieldPanel("send_email")]),
                    FieldPanel("one_channel_per_contact"),
                ],
                heading="How to send",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("audience_districts"),
                    FieldPanel("audience_roles"),
                    FieldPanel("audience_source"),
                ],
                heading="Who to send to (only people who agreed to this purpose)",
            ),
            MultiFieldPanel(
                [FieldPanel("title"), FieldPanel("link_url"), FieldPanel("sms_template"), SmsLengthPanel()],
                heading="Text message",
            ),
            MultiFieldPanel([FieldPanel("email_subject"), FieldPanel("email_template")], heading="Email"),
            MultiFieldPanel([CampaignLanguagesPanel()], heading="Other languages"),
            MultiFieldPanel(
                [
                    FieldPanel(
                        "send_at",
                        help_text="Leave empty to send as soon as you confirm. Consultation invitations "
                        "go out between 9am and 8pm: a time outside that moves to the next 9am.",
                    ),
                    FieldPanel("reminder_days_before"),
                    FieldRowPanel([FieldPanel("sms_per_second"), FieldPanel("email_per_second")]),
                ],
                heading="When and how fast",
            ),
        ],
        base_form_class=CampaignForm,
    )


class MessageViewSet(SnippetViewSet):
    model = Message
    icon = "list-ul"
    menu_label = "Messages"
    list_display = [
        "__str__",
        ContactDetailColumn("recipient", label="To"),
        "channel",
        "status",
        "campaign",
        "created_at",
    ]
    list_filter = ["status", "channel", "campaign"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "channel",
        "recipient",
        "subject",
        "body",
        "status",
        "provider_ref",
        "error_code",
        "error_message",
        "attempts",
        "created_at",
        "sent_at",
        "status_changed_at",
    ]

    def get_queryset(self, request):
        return Message.objects.select_related("campaign")


class InboundMessageInspectView(InspectView):
    """A text received: its words read 'Held for safeguarding review' while a case holds them."""

    template_name = "messaging/admin/inbound_inspect.html"

    def get_body_display_value(self):
        from parentvoice.safeguarding.services import HELD_TEXT, is_held

        return HELD_TEXT if is_held("messaging.inbound", self.object.pk) else self.object.body

    def get_context_data(self, **kwargs):
        from parentvoice.safeguarding.services import is_held

        context = super().get_context_data(**kwargs)
        context["can_be_flagged"] = bool(self.object.body) and not is_held(
            "messaging.inbound", self.object.pk
        )
        return context


class InboundMessageViewSet(SnippetViewSet):
    model = InboundMessage
    icon = "comment"
    menu_label = "Texts received"
    list_display = ["__str__", ContactDetailColumn("from_number", label="From"), "handled_by", "received_at"]
    inspect_view_enabled = True
    inspect_view_class = InboundMessageInspectView
    inspect_view_fields = ["from_number", "body", "handled_by", "reply", "received_at"]


class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "cross"
    menu_label = "Suppressions"
    list_display = [ContactDetailColumn("address", label="Address"), "channel", "reason", "created_at"]
    list_filter = ["channel", "reason"]
    search_fields = ["address"]


class MessagingGroup(SnippetViewSetGroup):
    menu_label = "Messaging"
    menu_icon = "mail"
    menu_order = 250
    items = (ContactViewSet, CampaignViewSet, MessageViewSet, InboundMessageViewSet, SuppressionViewSet)


register_snippet(MessagingGroup)


@hooks.register("register_admin_urls")
def messaging_admin_urls():
    return [
        path("messaging/phone-simulator/", admin_views.phone_simulator, name="messaging_phone_simulator"),
        path("messaging/campaigns/<int:pk>/send/", admin_views.campaign_send, name="messaging_campaign_send"),
        path(
            "messaging/campaigns/<int:pk>/progress/",
            admin_views.campaign_progress,
            name="messaging_campaign_progress",
        ),
        path(
            "messaging/campaigns/<int:pk>/languages/",
            admin_views.campaign_languages,
            name="messaging_campaign_languages",
        ),
        path(
            "messaging/campaigns/<int:pk>/languages/<str:language>/",
            admin_views.campaign_language,
            name="messaging_campaign_language",
        ),
        path(
            "messaging/campaigns/<int:pk>/languages/<str:language>/remove/",
            admin_views.campaign_language_remove,
            name="messaging_campaign_language_remove",
        ),
        path(
            "messaging/campaigns/<int:pk>/cancel/",
            admin_views.campaign_cancel,
            name="messaging_campaign_cancel",
        ),
        path("messaging/imports/new/", admin_views.import_upload, name="messaging_import_upload"),
        path("messaging/imports/<int:pk>/", admin_views.import_detail, name="messaging_import_detail"),
    ]


@hooks.register("register_snippet_listing_buttons")
def campaign_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Campaign):
        return
    if snippet.status == CampaignStatus.DRAFT and user.has_perm("messaging.change_campaign"):
        yield ListingButton(
            "Check and send", reverse("messaging_campaign_send", args=[snippet.pk]), priority=5
        )
        yield ListingButton(
            "Languages", reverse("messaging_campaign_languages", args=[snippet.pk]), priority=6
        )
    elif snippet.status != CampaignStatus.DRAFT:
        yield ListingButton("Progress", reverse("messaging_campaign_progress", args=[snippet.pk]), priority=5)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("messaging.add_contactimport")


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        "Import contacts", reverse("messaging_import_upload"), icon_name="upload", order=260
    )


class PhoneSimulatorMenuItem(MenuItem):
    def is_shown(self, request):
        return settings.SMS_SIMULATOR_ENABLED and request.user.has_perm(simulator.PERMISSION)


@hooks.register("register_admin_menu_item")
def phone_simulator_menu_item():
    return PhoneSimulatorMenuItem(
        "Phone simulator", reverse("messaging_phone_simulator"), icon_name="mail", order=270
    )
