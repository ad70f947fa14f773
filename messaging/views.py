"""Public pages: 'Keep me informed' sign-up, the preferences page and unsubscribe. No account needed."""

from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt

from parentvoice.http import token_page
from parentvoice.ratelimit import limit_post
from parentvoice.text import masked_email

from . import services
from .choices import Channel, ConfirmedBy, Purpose
from .forms import CONSENT_WORDING, KeepMeInformedForm, PreferencesForm

PREFERENCES_WORDING = "Changed on the preferences page"
CONFIRMED_IN_THIS_BROWSER = "messaging.confirmed_addresses"
# The preferences page's "Stop" button beside one follow request posts its id under this name.
STOP_FOLLOWING = "stop_following"


@limit_post("keep_me_informed", recipients=True)
def keep_me_informed(request):
    form = KeepMeInformedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sign_up = services.request_sign_up(
            name=data["name"],
            email=data["email"],
            mobile=data["mobile"],
            district=data["district"],
            purposes=data["purposes"],
            wording=CONSENT_WORDING,
            preferred_channel=data["preferred_channel"],
            role=data["role"],
            language=data["language"],
        )
        return redirect(with_sent_channels(reverse("messaging:sign_up_done"), sign_up.channels))
    return render(request, "messaging/keep_me_informed.html", {"form": form})


def with_sent_channels(url, channels):
    """The 'check your messages' page's address, saying which channels a confirmation went to."""
    return url + "?" + urlencode({"sent": channels}, doseq=True)


def sign_up_done(request):
    """'Check your email / your phone': nothing is recorded until the person confirms from there."""
    return check_your_messages(request, again_url=reverse("messaging:sign_up"))


def check_your_messages(request, *, again_url, intro=""):
    """The page after any form that asks to use an address (keep me informed, joining a forum)."""
    sent = [c for c in ("email", "sms") if c in request.GET.getlist("sent")] or ["email"]
    context = {
        "sent": sent,
        "hours": settings.CONFIRMATION_LINK_HOURS,
        "again_url": again_url,
        "intro": intro,
    }
    return render(request, "messaging/check_your_messages.html", context)


def _expired(request):
    return render(
        request, "messaging/confirm_expired.html", {"hours": settings.CONFIRMATION_LINK_HOURS}, status=404
    )


@token_page
@limit_post("confirm", key=lambda request, token: token)
def confirm(request, token):
    """The link in a confirmation message. GET shows one button (mail scanners open links), POST confirms."""
    confirmation = services.confirmation_for_token(token)
    if confirmation is None:
        return _expired(request)
    if request.method == "POST":
        method = ConfirmedBy.EMAIL_LINK if confirmation.channel == Channel.EMAIL else ConfirmedBy.SMS_LINK
        proven = request.session.get(CONFIRMED_IN_THIS_BROWSER, [])
        confirmed = services.confirm_address(confirmation.pk, confirmed_by=method, proven_with=proven)
        if confirmed is None:
            return _expired(request)
        # One browser confirming both addresses of a form shows one person holds both.
        request.session[CONFIRMED_IN_THIS_BROWSER] = [*proven, confirmation.pk][-10:]
        if confirmed.next_url:
            return redirect(confirmed.next_url)
        # They have just shown the address is theirs: the page is theirs too (token_page: never stored).
        preferences_path = reverse(
            "messaging:preferences", args=[services.preferences_token(confirmed.contact.pk)]
        )
        return render(
            request,
            "messaging/confirmed.html",
            {
                "confirmation": confirmed.confirmation,
                "preferences_url": preferences_path,
                "follow_title": services.follow_title(confirmed.confirmation),
            },
        )
    purposes = [Purpose(p).label for p in confirmation.purposes if p in Purpose.values]
    return render(
        request,
        "messaging/confirm.html",
        {
            "confirmation": confirmation,
            "purposes": purposes,
            "follow_title": services.follow_title(confirmation),
        },
    )


def _masked(contact):
    masked = []
    if contact.mobile:
        masked.append(f"the mobile number ending {str(contact.mobile)[-3:]}")
    if contact.email:
        masked.append(masked_email(contact.email))
    return masked


def _link_not_working(request):
    return render(request, "messaging/link_problem.html", status=404)


@token_page
@limit_post("preferences", key=lambda request, token: token)
def preferences(request, token):
    contact = services.contact_for_token(token)
    if contact is None:
        return _link_not_working(request)
    if request.method == "POST" and STOP_FOLLOWING in request.POST:
        stopped = services.stop_following(contact, request.POST[STOP_FOLLOWING])
        if stopped:
            messages.success(request, f"We will not tell you what happens about {stopped} any more.")
        return redirect(request.path)
    channels = [c for c in ("sms", "email") if contact.address_for(c)]
    form = PreferencesForm(
        request.POST or None, channels=channels, initial_state=services.current_consents(contact)
    )
    if request.method == "POST" and form.is_valid():
        changes = services.update_preferences(contact, form.wanted(), wording=PREFERENCES_WORDING)
        for change in changes or ["Your choices have been saved."]:
            messages.success(request, change)
        return redirect(request.path)
    return render(
        request,
        "messaging/preferences.html",
        {
            "form": form,
            "addresses": _masked(contact),
            "unsubscribe_url": reverse("messaging:unsubscribe", args=[token]),
            "follows": services.follows_of(contact),
            "stop_following": STOP_FOLLOWING,
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
