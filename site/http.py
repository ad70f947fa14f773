"""HTTP helpers shared by the apps."""

from functools import wraps

from django.utils.cache import add_never_cache_headers


def token_page(view):
    """For a page reached by a personal link (a booking, a membership, preferences, unsubscribe, a
    confirmation, a consultation invitation): whatever it answers, no browser or proxy stores it
    (`Cache-Control: no-store`, with Django's other never-cache headers) and no search engine indexes
    it or follows its links (`X-Robots-Tag`). Put it outermost, so refusals (429) get it too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# Wagtail's live preview shows the page in an iframe of the editor, on our own origin: these views
# (pages, snippets and settings being added or edited, a workflow task's preview, a StreamField block's
# preview) may be framed by the site itself. Matched by URL name, so snippets registered later count.
PREVIEW_URL_NAMES = {"preview_on_add", "preview_on_edit", "workflow_preview"}
PREVIEW_VIEW_NAMES = {"wagtailadmin_block_preview"}
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def is_preview(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or not request.path.startswith("/admin/"):
        return False
    return match.url_name in PREVIEW_URL_NAMES or match.view_name in PREVIEW_VIEW_NAMES


class FramingMiddleware:
    """Nothing we serve may be framed by another site (clickjacking): `X-Frame-Options: DENY` and
    `frame-ancestors 'none'` everywhere, except Wagtail's preview views, which our own admin frames:
    `SAMEORIGIN` and `frame-ancestors 'self'` there, and only there.

    Public pages get their `frame-ancestors 'none'` from the site's CSP (CSPMiddleware); the admin is
    left out of that policy (it still uses inline scripts), so here it gets a policy with
    `frame-ancestors` alone. Goes after XFrameOptionsMiddleware and CSPMiddleware in MIDDLEWARE, so it
    sees the response first and they leave the headers it sets alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_preview(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
            response["Content-Security-Policy"] = "frame-ancestors 'self'"
        elif request.path.startswith(ADMIN_PREFIXES) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response
