"""Data protection in the Wagtail admin: "Find a person's data" (officers with
privacy.handle_data_requests) and the log actions for subject access and erasure."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def privacy_admin_urls():
    return [
        path("privacy/find/", admin_views.find_view, name="privacy_find"),
        path("privacy/download/", admin_views.download_view, name="privacy_download"),
        path("privacy/erase/", admin_views.erase_view, name="privacy_erase"),
        path("privacy/requests/", admin_views.requests_view, name="privacy_requests"),
        path("privacy/requests/<int:request_id>/", admin_views.request_view, name="privacy_request"),
    ]


class FindPersonMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_handle(request.user)


@hooks.register("register_admin_menu_item")
def find_person_menu_item():
    return FindPersonMenuItem("Find a person's data", reverse("privacy_find"), icon_name="user", order=870)


@hooks.register("register_log_actions")
def privacy_log_actions(actions):
    actions.register_action("privacy.subject_access", "Subject access download", "Downloaded a person's data")
    actions.register_action("privacy.erasure", "Erasure", "Erased a person's data")
