"""The site's URLs plus two bare Django form views, the baselines for the answer-POST benchmarks:
one question's answer (a form and a session write), and a whole response sent (a form, the same
Response and Answer rows saved with bulk_create, and a session write)."""

import secrets

from django import forms
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from parentvoice.urls import urlpatterns as site_urlpatterns

# Where bench/consultation_bench.py puts a bare submit's answer rows in the session.
BARE_ANSWERS = "bench-answers"


class BareForm(forms.Form):
    answer = forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], widget=forms.RadioSelect)


def bare_form(request):
    form = BareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session["bare"] = form.cleaned_data["answer"]
        return HttpResponseRedirect("/bench-form/")
    return render(request, "base.html", {"form": form})


class BareSubmitForm(forms.Form):
    submission_key = forms.CharField(max_length=40)


def bare_submit(request):
    """The least any web submit must do: validate the form, save the Response and its Answer rows
    (the answers kept in the session, as (question id, choice key, text, number)) in one transaction,
    and write the session. No tallies, no checks, no screening."""
    from surveys.models import Answer, Response

    form = BareSubmitForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    page_id, rows = request.session.pop(BARE_ANSWERS)
    now = timezone.now()
    with transaction.atomic():
        response = Response.objects.create(
            consultation_id=page_id,
            reference=secrets.token_hex(4),
            channel="web",
            status="complete",
            completed_at=now,
            completed_on=now.date(),
            submission_key=form.cleaned_data["submission_key"],
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                consultation_id=page_id,
                question_id=question_id,
                choice_key=key,
                text=text,
                number=number,
                channel="web",
            )
            for question_id, key, text, number in rows
        )
    request.session["bare-sent"] = response.pk
    return HttpResponseRedirect("/bench-form/")


urlpatterns = [path("bench-form/", bare_form), path("bench-submit/", bare_submit), *site_urlpatterns]
