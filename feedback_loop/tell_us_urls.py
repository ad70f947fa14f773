"""'Tell us' (docs/tell-us.md)."""

from django.urls import path

from . import tell_us_views

app_name = "feedback_loop"

urlpatterns = [
    path("tell-us/", tell_us_views.tell_us_form, name="tell_us"),
    path("tell-us/sent/", tell_us_views.tell_us_sent, name="tell_us_sent"),
]
