"""Campaign sending, contact import and the phone simulator in the Wagtail admin. Thin: services do
the work."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import audiences, importing, services, simulator
from .admin_forms import ContactImportForm
from .admin_panels import sms_length_summary
from .choices import CampaignStatus, ImportStatus, MessageStatus, ParentRole
from .models import Campaign, ContactImport


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def campaign_send(request, pk):
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        try:
            services.start_campaign(campaign, request.user)
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"'{campaign}' is being sent.")
            return redirect("messaging_campaign_progress", pk=campaign.pk)
    is_draft = campaign.status == CampaignStatus.DRAFT
    values = services.preview_values(campaign)
    sms_text, sms_info = (
        sms_length_summary(campaign.sms_template, values) if campaign.send_sms else ("", None)
    )
    send_at = campaign.send_at
    if is_draft and campaign.kind in services.KINDS_IN_SENDING_HOURS:
        send_at = services.within_sending_hours(max(send_at or timezone.now(), timezone.now()))
    reminder_at = None
    if campaign.reminder_days_before:
        deadline = audiences.link_deadline(campaign.link_personaliser)
        reminder_at = services.reminder_time(deadline, campaign.reminder_days_before) if deadline else None
    return TemplateResponse(
        request,
        "messaging/admin/campaign_send.html",
        {
            "campaign": campaign,
            "problems": services.campaign_problems(campaign),
            "audience_size": services.audience_size(campaign) if is_draft else None,
            "audience_list": audiences.describe_audience(campaign.audience_source),
            "districts": list(campaign.audience_districts.values_list("name", flat=True)),
            "roles": [ParentRole(r).label for r in campaign.audience_roles if r in ParentRole.values],
            "sms_text": sms_text,
            "sms_info": sms_info,
            "personal_link": bool(campaign.link_personaliser),
            "email_subject": services.render(campaign.email_subject, values),
            "email_text": services.render(campaign.email_template, values),
            "is_draft": is_draft,
            "send_at": send_at,
            "send_now": send_at is None or send_at <= timezone.now(),
            "reminder_at": reminder_at,
        },
    )


def campaign_progress(request, pk):
    _require(request, "messaging.view_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    counts = services.campaign_counts(campaign)
    total = sum(counts.values())
    rows = [
        {"status": MessageStatus(status).label, "count": n, "percent": round(100 * n / total) if total else 0}
        for status, n in counts.items()
    ]
    still_going = campaign.status in {CampaignStatus.PREPARING, CampaignStatus.SENDING}
    done = total - counts[MessageStatus.CREATED] - counts[MessageStatus.SENDING]
    return TemplateResponse(
        request,
        "messaging/admin/campaign_progress.html",
        {
            "campaign": campaign,
            "rows": rows,
            "total": total,
            "done": done,
            "still_going": still_going,
            "messages_url": reverse("wagtailsnippets_messaging_message:list") + f"?campaign={campaign.pk}",
        },
    )


def campaign_cancel(request, pk):
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        services.cancel_campaign(campaign)
        messages.success(request, f"'{campaign}' was cancelled. Messages not yet sent will not be sent.")
    return redirect("messaging_campaign_progress", pk=campaign.pk)


def import_upload(request):
    _require(request, "messaging.add_contactimport")
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_import = importing.preview_import(
                form.cleaned_data["file"],
                purposes=form.cleaned_data["purposes"],
                wording=form.cleaned_data["consent_wording"],
                user=request.user,
            )
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("messaging_import_detail", pk=contact_import.pk)
    return TemplateResponse(request, "messaging/admin/import_upload.html", {"form": form})


def import_detail(request, pk):
    _require(request, "messaging.view_contactimport")
    contact_import = get_object_or_404(ContactImport, pk=pk)
    if request.method == "POST" and contact_import.status == ImportStatus.PREVIEWED:
        _require(request, "messaging.add_contactimport")
        importing.start_import(contact_import)
        return redirect("messaging_import_detail", pk=pk)
    return TemplateResponse(
        request,
        "messaging/admin/import_detail.html",
        {
            "contact_import": contact_import,
            "errors": contact_import.row_errors[:100],
            "running": contact_import.status == ImportStatus.RUNNING,
        },
    )


def phone_simulator(request):
    """Play a parent texting the service (demo and staging only)."""
    if not settings.SMS_SIMULATOR_ENABLED:
        raise Http404("The phone simulator is switched off")
    _require(request, simulator.PERMISSION)
    phone = request.GET.get("phone") or simulator.DEFAULT_PHONE
    error = ""
    if request.method == "POST":
        body = request.POST.get("body", "").strip()
        try:
            phone = simulator.normalise_phone(request.POST.get("phone", ""))
            simulator.check_phone_allowed(phone)
            if not body:
                raise simulator.SimulatorError("Enter the text to send")
            delivery = simulator.send_text(phone, body)
        except simulator.SimulatorError as problem:
            error = str(problem)
        else:
            request.session["phone-simulator-last"] = {"status": delivery.status, "twiml": delivery.twiml}
            return redirect(f"{reverse('messaging_phone_simulator')}?{urlencode({'phone': phone})}")
    try:
        simulator.check_phone_allowed(phone)
    except simulator.SimulatorError as problem:
        error, thread = error or str(problem), []
    else:
        thread = simulator.thread(phone)
    return TemplateResponse(
        request,
        "messaging/admin/phone_simulator.html",
        {
            "phone": phone,
            "error": error,
            "body": request.POST.get("body", "") if error else "",
            "thread": thread,
            "last": request.session.get("phone-simulator-last"),
        },
    )
