from django.urls import path

from . import views

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
]
