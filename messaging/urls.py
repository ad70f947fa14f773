from django.urls import path

from . import views, webhooks

app_name = "messaging"

urlpatterns = [
    path("messaging/twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("messaging/twilio/inbound/", webhooks.twilio_inbound, name="twilio_inbound"),
    # Only the configured email provider's tracking webhook answers (see webhooks.email_tracking).
    path("anymail/<slug:esp>/tracking/", webhooks.email_tracking, name="email_tracking"),
    path("keep-me-informed/", views.keep_me_informed, name="sign_up"),
    path("keep-me-informed/check/", views.sign_up_done, name="sign_up_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
