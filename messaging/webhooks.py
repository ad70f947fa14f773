"""Twilio webhooks: signed with X-Twilio-Signature over the public URL we gave Twilio, answered fast.

A status callback is one conditional UPDATE and an inbound text needs its reply in the response, so
both are handled in the request rather than queued (a queued task would cost an INSERT as well)."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from . import services


def twilio_signature_is_valid(request):
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_full_path()
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature)


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
    reply = services.receive_sms(
        provider_ref=sid,
        from_number=request.POST.get("From", ""),
        to_number=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
    )
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return HttpResponse(str(twiml), content_type="text/xml")
