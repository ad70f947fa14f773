"""The public 'Tell us' form (/tell-us/): thin, the work is in services.tell_us."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from messaging.choices import Channel
from parentvoice.ratelimit import limit_post

from .models import OpenFeedbackSource
from .services import tell_us
from .services.public_log import log_page
from .tell_us_forms import TellUsForm

SESSION_KEY = "tell_us_reference"


@limit_post("tell_us")
def tell_us_form(request):
    form = TellUsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = tell_us.receive_open_feedback(
            text=data["text"], source=OpenFeedbackSource.WEB, district=data["district"]
        )
        channels = []
        for channel, address in ((Channel.EMAIL, data["email"]), (Channel.SMS, data["mobile"])):
            if address:
                tell_us.request_reply(entry, channel=channel, address=address)
                channels.append(channel)
        request.session[SESSION_KEY] = {"reference": entry.reference, "channels": channels}
        return redirect(reverse("feedback_loop:tell_us_sent"))
    page = log_page()
    return TemplateResponse(
        request,
        "feedback_loop/tell_us.html",
        {
            "form": form,
            "log_url": page.get_url(request=request) if page else None,
            "tell_keyword": settings.TELL_US_KEYWORD,
        },
    )


def tell_us_sent(request):
    sent = request.session.get(SESSION_KEY)
    if not sent:
        return redirect(reverse("feedback_loop:tell_us"))
    return TemplateResponse(
        request,
        "feedback_loop/tell_us_sent.html",
        {
            "reference": sent["reference"],
            "email": "email" in sent["channels"],
            "sms": "sms" in sent["channels"],
        },
    )
