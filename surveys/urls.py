from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("consultations/<id:page_id>/start/", views.start, name="start"),
    path("consultations/<id:page_id>/question/<str:question_id>/", views.question, name="question"),
    path("consultations/<id:page_id>/check-your-answers/", views.check_answers, name="check_answers"),
    path("consultations/<id:page_id>/done/", views.done, name="done"),
    path("consultations/<id:page_id>/save-and-come-back/", views.save_for_later, name="save"),
    path("consultations/<id:page_id>/save-and-come-back/sent/", views.save_sent, name="save_sent"),
    path("consultations/<id:page_id>/resume/<str:token>/", views.resume_answers, name="resume"),
    path("consultations/<id:page_id>/invitation/<str:token>/", views.invitation, name="invitation"),
    path("p/<str:code>/", views.partner_link, name="partner_link"),
]
