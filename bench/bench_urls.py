"""The site's URLs plus a bare Django form view: the baseline for the answer-POST benchmark."""

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path

from parentvoice.urls import urlpatterns as site_urlpatterns


class BareForm(forms.Form):
    answer = forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], widget=forms.RadioSelect)


def bare_form(request):
    form = BareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session["bare"] = form.cleaned_data["answer"]
        return HttpResponseRedirect("/bench-form/")
    return render(request, "base.html", {"form": form})


urlpatterns = [path("bench-form/", bare_form), *site_urlpatterns]
