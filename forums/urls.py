from django.urls import path

from . import parent_page_views, views

app_name = "forums"

urlpatterns = [
    path("fora/<id:forum_id>/join/", views.join, name="join"),
    path("fora/<id:forum_id>/join/check/", views.join_check, name="join_check"),
    path("fora/<id:forum_id>/contact/", views.contact, name="contact"),
    path("fora/membership/<str:token>/", views.membership, name="membership"),
    path("fora/events/<id:event_id>/book/", views.book, name="book"),
    path("fora/bookings/<str:token>/", views.booking, name="booking"),
    path("fora/bookings/<str:token>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("fora/bookings/<str:token>/event.ics", views.booking_calendar, name="booking_calendar"),
    # A parent's own page (docs/parent-page.md)
    path("my-page/", parent_page_views.request_link, name="parent_page_request"),
    path("my-page/check/", parent_page_views.check, name="parent_page_check"),
    path("my-page/open/<str:token>/", parent_page_views.open_link, name="parent_page_open"),
    path("my-page/you/", parent_page_views.page, name="parent_page"),
    path(
        "my-page/you/bookings/<id:booking_id>/cancel/",
        parent_page_views.cancel_booking,
        name="parent_page_cancel",
    ),
    path(
        "my-page/you/fora/<id:membership_id>/leave/", parent_page_views.leave_forum, name="parent_page_leave"
    ),
    path("my-page/you/requests/stop/", parent_page_views.stop_follow, name="parent_page_stop_follow"),
    path("my-page/you/sign-out/", parent_page_views.sign_out, name="parent_page_sign_out"),
]
