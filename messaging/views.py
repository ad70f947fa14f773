"""Public pages: 'Keep me informed' sign-up, the preferences page and one-click unsubscribe.
Built in a separate step; placeholders keep the URLs resolvable."""

from django.http import Http404


def keep_me_informed(request):
    raise Http404


def sign_up_done(request):
    raise Http404


def preferences(request, token):
    raise Http404


def unsubscribe(request, token):
    raise Http404
