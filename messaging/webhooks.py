"""Twilio webhooks: signed with X-Twilio-Signature over the public URL we gave Twilio, answered fast.

A status callback is one conditional UPDATE and an inbound text needs its reply in the response, so
both are handled in the request rather than queued (a queued task would cost an INSERT as well).

The email provider's tracking webhook is anymail's view for the one ESP that EMAIL_BACKEND names, behind
anymail's basic auth (ANYMAIL_WEBHOOK_SECRET); every other provider's address is a 404 and a body that
is not the provider's JSON is a 400."""

import functools
import logging

from anymail.exceptions import AnymailConfigurationError
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from . import services
from .services import inbound_spool
from .sms import split_texts

logger = logging.getLogger(__name__)


def signed_url(request):
    """The address Twilio signed: the public one we gave it, whatever the proxy in front says."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_full_path()


def twilio_signature_is_valid(request):
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(
        signed_url(request), request.POST.dict(), signature
    )


@csrf_exempt
@require_POST
def twilio_status(request):
    if not twilio_signature_is_valid(request):
        return HttpResponseForbidden("Invalid signature")
    services.record_sms_status(
        message_id=request.GET.get("m"),
        provider_ref=request.POST.get("MessageSid", ""),
        twilio_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not twilio_signature_is_valid(request):
        return HttpResponseForbidden("Invalid signature")
    sid = request.POST.get("MessageSid", "")
    if not sid:
        return HttpResponse("MessageSid is required", status=400)
    try:
        reply = services.receive_sms(
            provider_ref=sid,
            from_number=request.POST.get("From", ""),
            to_number=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
        )
    except (OperationalError, InterfaceError):
        # The database cannot be reached, and Twilio never sends an inbound text again: keep the signed
        # request on disk for process_inbound_spool, which sends the reply as a text of its own.
        signature = request.headers["X-Twilio-Signature"]
        if not inbound_spool.spool_inbound(
            url=signed_url(request), params=request.POST.dict(), signature=signature
        ):
            raise
        logger.warning("Database unavailable: an inbound text was kept in the spool")  # nothing about it
        reply = None
    twiml = MessagingResponse()
    for part in split_texts(reply):
        twiml.message(part)
    return HttpResponse(str(twiml), content_type="text/xml")


# --- Email tracking (anymail) ---------------------------------------------------------------


class MalformedWebhookPayload(SuspiciousOperation):
    """Django answers a SuspiciousOperation with a 400."""


# What a payload that is not the provider's JSON raises inside anymail's parsers.
PAYLOAD_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, AnymailConfigurationError)


def tracking_esp():
    """The anymail ESP that EMAIL_BACKEND sends through ("postmark" for
    anymail.backends.postmark.EmailBackend), or None when it is not an anymail ESP with a tracking
    webhook (the console, locmem and test backends)."""
    module, _, _ = settings.EMAIL_BACKEND.rpartition(".")
    prefix = "anymail.backends."
    if not module.startswith(prefix):
        return None
    esp = module.removeprefix(prefix)
    return esp if esp in _tracking_view_classes() else None


@functools.cache
def _tracking_view_classes():
    from anymail import urls as anymail_urls

    suffix = "_tracking_webhook"
    return {
        pattern.name.removesuffix(suffix): pattern.callback.view_class
        for pattern in anymail_urls.urlpatterns
        if pattern.name and pattern.name.endswith(suffix)
    }


@functools.cache
def _tracking_view(esp):
    base = _tracking_view_classes()[esp]

    class TrackingView(base):
        def parse_events(self, request):
            try:
                return list(super().parse_events(request))
            except PAYLOAD_ERRORS as error:
                raise MalformedWebhookPayload(f"Malformed {self.esp_name} tracking webhook") from error

    TrackingView.__name__ = base.__name__
    return TrackingView.as_view()


@csrf_exempt
def email_tracking(request, esp):
    """anymail's tracking webhook for the configured ESP only; its own basic auth, csrf exemption."""
    configured = tracking_esp()
    if configured is None or esp != configured:
        raise Http404("No tracking webhook for this email provider")
    return _tracking_view(configured)(request)


# --- The short path through the middleware --------------------------------------------------

# Everything the site's middleware does for a page (sessions, the language from the address, CSRF,
# the signed-in user, messages, the CSP and framing headers, allauth, the admin checks, redirects, the
# page cache) is work a provider's webhook never uses: it has no cookies, is csrf-exempt, signs its own
# requests and answers with no HTML. Skipping it is most of what makes a status callback cheap
# (bench/webhook_bench.py).
WEBHOOK_PREFIXES = ("/messaging/twilio/", "/anymail/")
# Only these views are ever reached this way, whatever an address under the prefixes resolves to.
WEBHOOK_VIEWS = frozenset({twilio_status, twilio_inbound, email_tracking})
# What the site's own middleware would add to a response with no HTML: no framing, no content at all.
NO_CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'"


class WebhookMiddleware:
    """Goes right after SecurityMiddleware (which still redirects to HTTPS and adds its headers): a
    request for one of the webhook views is answered here, and the middleware below it never runs.
    The view still gets Django's host check, the default language and its exception handling (this
    middleware is wrapped like any other: an error is a 500, a SuspiciousOperation a 400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(WEBHOOK_PREFIXES):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is None or match.func not in WEBHOOK_VIEWS:
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it (DisallowedHost is a 400)
        request.resolver_match = match
        # Another request on this thread may have left a language active (LocaleMiddleware is skipped).
        with translation.override(settings.LANGUAGE_CODE):
            response = match.func(request, *match.args, **match.kwargs)
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Content-Security-Policy", NO_CONTENT_POLICY)
        if not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
