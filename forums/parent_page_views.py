"""A parent's own page, reached by a one-time link (docs/parent-page.md). Thin: services/parent_page.py
decides who is known, what the page shows and whether a link still works.

The session holds the address (and its channel) the used link was sent to, for SESSION_MINUTES; every
action on the page is checked against that address, never against an id alone."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from messaging import one_time_links
from messaging.choices import Channel
from parentvoice.http import token_page
from parentvoice.ratelimit import limit_post
from parentvoice.text import masked_email, masked_mobile

from . import services
from .choices import BookingStatus
from .forms import ParentPageRequestForm

SESSION_KEY = "forums.parent_page"
LINK_STATUS = {
    services.LinkState.OK: 200,
    services.LinkState.USED: 410,
    services.LinkState.EXPIRED: 410,
    services.LinkState.UNKNOWN: 404,
}


def _address_key(request):
    return one_time_links.address_rate_key(request.POST.get("address", ""))


@token_page
@limit_post("parent_page", key=_address_key)
def request_link(request):
    form = ParentPageRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_parent_page_link(form.cleaned_data["address"])
        # The same answer whoever the address belongs to, or nobody.
        return redirect("forums:parent_page_check")
    return TemplateResponse(request, "forums/parent_page_request.html", {"form": form})


@token_page
def check(request):
    return TemplateResponse(request, "forums/parent_page_check.html", {"minutes": services.link_minutes()})


@token_page
@limit_post("parent_page")
def open_link(request, token):
    """GET shows one button (mail scanners open links and must not use them up); POST uses the link."""
    if request.method == "POST":
        state, link = services.use_parent_page_link(token)
        if link is not None:
            request.session.cycle_key()  # a session fixed by someone else never gets the address
            request.session[SESSION_KEY] = {
                "channel": link.channel,
                "address": link.address,
                "until": services.session_until().isoformat(),
            }
            return redirect("forums:parent_page")
    else:
        state = services.link_state(token)
    return TemplateResponse(
        request,
        "forums/parent_page_link.html",
        {
            "state": state,
            "form": ParentPageRequestForm(),
            "minutes": services.link_minutes(),
            "session_minutes": services.SESSION_MINUTES,
        },
        status=LINK_STATUS[state],
    )


def _signed_in(request) -> tuple[str, str] | None:
    """(channel, address) of the link used in this browser, while it lasts; an expired one is forgotten."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    try:
        until = datetime.fromisoformat(held["until"])
        channel, address = held["channel"], held["address"]
    except (KeyError, TypeError, ValueError):
        until = None
    if until is None or until <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return None
    return channel, address


def _signed_in_only(view):
    def wrapper(request, *args, **kwargs):
        who = _signed_in(request)
        if who is None:
            return redirect("forums:parent_page_request")
        return view(request, *who, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@token_page
@_signed_in_only
def page(request, channel, address):
    return TemplateResponse(
        request,
        "forums/parent_page.html",
        {
            "mine": services.parent_page_for(channel, address),
            "by_text": channel == Channel.SMS,
            "masked_address": masked_mobile(address) if channel == Channel.SMS else masked_email(address),
            "session_minutes": services.SESSION_MINUTES,
        },
    )


@token_page
@require_POST
@limit_post("cancel")
@_signed_in_only
def cancel_booking(request, channel, address, booking_id):
    booking = services.own_booking(channel, address, booking_id)
    if booking is None:
        raise Http404("No such booking")
    if booking.status != BookingStatus.CANCELLED and booking.event.start > timezone.now():
        services.cancel_booking(booking.pk)
        messages.success(request, f"Your booking for {booking.event.title} is cancelled.")
    return redirect("forums:parent_page")


@token_page
@require_POST
@limit_post("cancel")
@_signed_in_only
def leave_forum(request, channel, address, membership_id):
    membership = services.own_membership(channel, address, membership_id)
    if membership is None:
        raise Http404("No such membership")
    services.leave_forum(membership.pk)
    messages.success(request, f"You have left {membership.forum.title}.")
    return redirect("forums:parent_page")


@token_page
@require_POST
@limit_post("cancel")
@_signed_in_only
def stop_follow(request, channel, address):
    title = services.stop_own_follow(channel, address, request.POST.get("topic", ""))
    if title is None:
        raise Http404("No such request")
    messages.success(request, f"We will not tell you what we decide about {title}.")
    return redirect("forums:parent_page")


@token_page
@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.success(request, "You have signed out of your page.")
    return redirect("forums:parent_page_request")
