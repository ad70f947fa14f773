"""Public fora pages. Thin: services/listings.py builds the listings, feeds.py the calendars."""

from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from messaging.views import check_your_messages, with_sent_channels
from parentvoice.http import token_page
from parentvoice.languages import respond_in_language
from parentvoice.ratelimit import limit_post
from parentvoice.text import masked_email

from . import feeds, services
from .choices import BookingStatus
from .forms import BookingForm, ContactForumForm, JoinForumForm, PractitionerJoinForm, WhatsOnFilterForm
from .models import EventPage, ForumPage

EVENTS_PER_PAGE = 20
RELATED = ("forum__district", "district")  # what listings show of a translated event


def _render(request, page, template, context):
    return TemplateResponse(request, template, {"page": page, "self": page, **context})


def forum_index(request, index):
    return _render(
        request,
        index,
        "forums/forum_index_page.html",
        {
            "fora": services.fora_with_next_event(index),
            "whats_on_url": index.url + index.reverse_subpage("whats_on"),
        },
    )


def whats_on(request, index):
    form = WhatsOnFilterForm(request.GET or None)
    events = services.whats_on(index, **form.filters())
    page_of_events = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    # Filtered and counted as the English events (one per event), shown in the reader's language.
    page_of_events.object_list = services.listed(page_of_events.object_list, related=RELATED)
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        index,
        "forums/whats_on.html",
        {
            "form": form,
            "events": page_of_events,
            "query": query.urlencode(),
            "calendar_url": index.url + index.reverse_subpage("calendar"),
        },
    )


def forum(request, forum_page):
    # What parents said is written up on the English meetings: their points come from there.
    past = list(services.past_events(forum_page))
    return _render(
        request,
        forum_page,
        "forums/forum_page.html",
        {
            "upcoming": services.listed(services.upcoming_events(forum_page, limit=10), related=RELATED),
            "past": services.listed(past, related=RELATED),
            "raised": services.points_raised(past),
            "calendar_url": forum_page.url + forum_page.reverse_subpage("calendar"),
        },
    )


def _calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"  # calendar apps poll; a quarter-hour is fresh enough
    return response


def site_calendar(request, index):
    events = services.calendar_events(index)
    return _calendar_response(
        feeds.cached_calendar_bytes(events, name="Parent fora and family events", request=request),
        "parent-fora.ics",
    )


def forum_calendar(request, forum_page):
    events = services.calendar_events(forum_page)
    return _calendar_response(
        feeds.cached_calendar_bytes(events, name=forum_page.title, request=request), f"{forum_page.slug}.ics"
    )


def _live_page_or_404(pages, page_id):
    page = pages.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page")
    return page


def _in_any_language(pages, view):
    """Booking, joining and contacting take the id of a forum or event page in any language. They act
    on its English page (`page.source_page`: one set of bookings, members and coordinators), which
    must be live and public too, and answer in the page's language. The view gets (page, source)."""

    @wraps(view)
    def wrapper(request, page_id, *args, **kwargs):
        page = _live_page_or_404(pages, page_id)
        source = page.source_page
        if source.pk != page.pk:
            source = _live_page_or_404(pages, source.pk)
        return respond_in_language(request, page.locale.language_code, view, request, page, source)

    return wrapper


@limit_post("book", key=lambda request, event_id: event_id, recipients=True)
def book(request, event_id):
    return _in_any_language(EventPage.objects.select_related("forum", "locale"), _book)(request, event_id)


def _book(request, event, source):
    """`event` is shown (in its language); places are taken on `source`, the English event."""
    problem = services.booking_problem(source)
    form = BookingForm(request.POST or None, event=source)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            booking = services.book(source.pk, **form.booking_fields())
        except services.BookingError as error:
            problem = str(error)
        else:
            if form.wants_to_be_told():
                _remember_told(request, booking, services.ask_to_be_told(booking))
            return redirect("forums:booking", token=services.booking_token(booking.pk))
    state = services.booking_state(source)
    return TemplateResponse(
        request,
        "forums/book.html",
        {
            "event": event,
            "form": form,
            "problem": problem,
            "has_errors": bool(problem),
            "places_left": services.places_left(source),
            "show_form": state in (services.BookingState.OPEN, services.BookingState.WAITING_LIST),
            "waiting_list": state == services.BookingState.WAITING_LIST,
            "full": state == services.BookingState.FULL,
        },
        status=409 if problem and request.method == "POST" else 200,
    )


BOOKING_TOLD_KEY = "forums.booking_told"


def _remember_told(request, booking, result):
    """What asking to be told did, for this browser's booking page only: the booking link may be
    passed on, and who asked (or whether they were already known) is nobody else's business."""
    told = request.session.get(BOOKING_TOLD_KEY, {})
    told[str(booking.pk)] = str(result)
    request.session[BOOKING_TOLD_KEY] = told


def _told(request, booking):
    return request.session.get(BOOKING_TOLD_KEY, {}).get(str(booking.pk))


def _link_not_working(request):
    return TemplateResponse(request, "messaging/link_problem.html", status=404)


def _can_cancel(booking):
    return booking.status != BookingStatus.CANCELLED and booking.event.start > timezone.now()


@token_page
@require_GET
def booking(request, token):
    booking = services.booking_for_token(token)
    if booking is None:  # not ours, or the event ended too long ago
        return _link_not_working(request)
    event = booking.event
    return TemplateResponse(
        request,
        "forums/booking.html",
        {
            "booking": booking,
            "event": event,
            "forum": event.forum,
            "whats_on_url": services.whats_on_url() if booking.status == BookingStatus.CANCELLED else "",
            "calendar_url": reverse("forums:booking_calendar", args=[token]),
            "cancel_url": reverse("forums:cancel_booking", args=[token]),
            "can_cancel": _can_cancel(booking),
            "next_reminder": services.next_reminder(event)
            if booking.status == BookingStatus.CONFIRMED
            else None,
            "told": _told(request, booking),
            "told_by_email": bool(booking.email),
            "masked_email": masked_email(booking.email) if booking.email else "",
        },
    )


@token_page
@limit_post("cancel", key=lambda request, token: token)
def cancel_booking(request, token):
    """ "Are you sure?" first: opening the link (or a mail scanner following it) never cancels."""
    booking = services.booking_for_token(token)
    if booking is None:
        return _link_not_working(request)
    if not _can_cancel(booking):
        return redirect("forums:booking", token=token)
    if request.method == "POST":
        services.cancel_booking(booking.pk)
        return redirect("forums:booking", token=token)
    return TemplateResponse(
        request,
        "forums/cancel_booking.html",
        {"booking": booking, "event": booking.event, "booking_url": reverse("forums:booking", args=[token])},
    )


@token_page
def booking_calendar(request, token):
    booking = services.booking_for_token(token)
    if booking is None:
        return _link_not_working(request)
    return _calendar_response(
        feeds.calendar_bytes([booking.event], name=booking.event.title, request=request), "event.ics"
    )


FORUM_PAGES = ForumPage.objects.select_related("locale")


@limit_post("join", key=lambda request, forum_id: forum_id, recipients=True)
def join(request, forum_id):
    return _in_any_language(FORUM_PAGES, _join)(request, forum_id)


def _join(request, forum_page, source):
    """Joining a translated forum joins its English forum, whose coordinators see its members."""
    form_class = PractitionerJoinForm if source.for_practitioners else JoinForumForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_up = services.join_forum(source, **form.join_fields())
        return redirect(
            with_sent_channels(reverse("forums:join_check", args=[forum_page.pk]), sign_up.channels)
        )
    return TemplateResponse(request, "forums/join.html", {"forum": forum_page, "form": form})


def join_check(request, forum_id):
    return _in_any_language(FORUM_PAGES, _join_check)(request, forum_id)


def _join_check(request, forum_page, source):
    """'Check your email / phone': the person joins once they confirm from the message we sent."""
    return check_your_messages(
        request,
        again_url=reverse("forums:join", args=[forum_page.pk]),
        intro=f"When you confirm, you will join {forum_page.title}."
        + (" We will email the forum's business to that address." if source.for_practitioners else ""),
    )


@token_page
@limit_post("cancel", key=lambda request, token: token)
def membership(request, token):
    member = services.membership_for_token(token)
    if member is None:
        raise Http404("No such membership")
    if request.method == "POST":
        services.leave_forum(member.pk)
        member.refresh_from_db()
    return TemplateResponse(request, "forums/membership.html", {"membership": member, "forum": member.forum})


@limit_post("contact_forum", key=lambda request, forum_id: forum_id)
def contact(request, forum_id):
    return _in_any_language(FORUM_PAGES, _contact)(request, forum_id)


def _contact(request, forum_page, source):
    """A message through a translated forum goes to its English forum's coordinators."""
    form = ContactForumForm(request.POST or None)
    sent = request.GET.get("sent") == "1"
    if request.method == "POST" and form.is_valid():
        services.send_enquiry(source, **form.cleaned_data)
        return redirect(reverse("forums:contact", args=[forum_page.pk]) + "?sent=1")
    return TemplateResponse(request, "forums/contact.html", {"forum": forum_page, "form": form, "sent": sent})
