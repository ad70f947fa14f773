"""Public pages: 'Keep me informed' sign-up, the preferences page and unsubscribe. No account needed."""

from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from parentvoice.http import token_page
from parentvoice.ratelimit import limit_post

from . import services
from .forms import CONSENT_WORDING, KeepMeInformedForm, PreferencesForm

PREFERENCES_WORDING = "Changed on the preferences page"


@limit_post("keep_me_informed", recipients=True)
def keep_me_informed(request):
    form = KeepMeInformedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.sign_up(
            name=data["name"],
            email=data["email"],
            mobile=data["mobile"],
            district=data["district"],
            purposes=data["purposes"],
            channels=form.channels(),
            wording=CONSENT_WORDING,
            preferred_channel=data["preferred_channel"],
            role=data["role"],
        )
        return redirect("messaging:sign_up_done")
    return render(request, "messaging/keep_me_informed.html", {"form": form})


def sign_up_done(request):
    return render(request, "messaging/sign_up_done.html")


def _masked(contact):
    masked = []
    if contact.mobile:
        masked.append(f"the mobile number ending {str(contact.mobile)[-3:]}")
    if contact.email:
        local, _, domain = contact.email.partition("@")
        masked.append(f"{local[:1]}•••@{domain}")
    return masked


def _link_not_working(request):
    return render(request, "messaging/link_problem.html", status=404)


@token_page
@limit_post("preferences", key=lambda request, token: token)
def preferences(request, token):
    contact = services.contact_for_token(token)
    if contact is None:
        return _link_not_working(request)
    channels = [c for c in ("sms", "email") if contact.address_for(c)]
    form = PreferencesForm(
        request.POST or None, channels=channels, initial_state=services.current_consents(contact)
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(contact, form.wanted(), wording=PREFERENCES_WORDING)
        messages.success(request, "Your choices have been saved.")
        return redirect(request.path)
    return render(
        request,
        "messaging/preferences.html",
        {
            "form": form,
            "addresses": _masked(contact),
            "unsubscribe_url": reverse("messaging:unsubscribe", args=[token]),
        },
    )


@token_page
@csrf_exempt
@limit_post("unsubscribe", key=lambda request, token: token)
def unsubscribe(request, token):
    """GET shows one button (link checkers follow links, so GET changes nothing). POST unsubscribes.
    Mail clients' one-click unsubscribe (RFC 8058) posts `List-Unsubscribe=One-Click` with no CSRF
    token; any other POST must pass Django's CSRF check."""
    contact = services.contact_for_token(token)
    if contact is None:
        return _link_not_working(request)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        if not one_click:
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return rejected
        services.unsubscribe(contact)
        return render(request, "messaging/unsubscribed.html")
    return render(request, "messaging/unsubscribe.html", {"addresses": _masked(contact)})
