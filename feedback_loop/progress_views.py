"""The public 'How we are doing' page (ProgressPage): the action plan by priority."""

from django.http import Http404


def progress(request, page):
    raise Http404


def priority_progress(request, page, number):
    raise Http404
