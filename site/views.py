"""The site's own public pages that are not Wagtail pages: robots.txt and the website feedback form."""

import re

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .feedback import SiteFeedbackForm
from .log_filters import TOKEN_PATHS
from .ratelimit import limit_post

# Besides the personal links (log_filters.TOKEN_PATHS): the admins, accounts and Wagtail's
# password forms for restricted pages, which no search engine has any business in.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/_util/")


def disallowed_paths() -> list[str]:
    """robots.txt's Disallow lines: every private prefix and every route that carries a personal
    link, the latter from the same list that keeps tokens out of logs (a number in it becomes `*`)."""
    token_routes = ["/" + re.sub(r"\\d\+", "*", path) + "/" for path in TOKEN_PATHS]
    return [*PRIVATE_PREFIXES, *(p for p in token_routes if not p.startswith(PRIVATE_PREFIXES))]


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed_paths())]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@limit_post("site_feedback")
def feedback(request):
    form = SiteFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("feedback_sent")
    return render(request, "parentvoice/feedback.html", {"form": form})


def feedback_sent(request):
    return render(request, "parentvoice/feedback_sent.html")
