from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from parentvoice import languages
from parentvoice.models import SiteSettings

register = template.Library()

DEFAULT_COUNCIL_NAME = SiteSettings._meta.get_field("council_name").default


def _site(context):
    request = context.get("request")
    if request is None:
        return None
    try:
        return Site.find_for_request(request)
    except Exception:  # noqa: BLE001 - a broken site record must not take the error pages down with it
        return None


def _site_settings(context):
    request = context.get("request")
    if request is None or _site(context) is None:
        return None
    return SiteSettings.for_request(request)


@register.simple_tag(takes_context=True)
def service_name(context):
    site = _site(context)
    return (site.site_name if site and site.site_name else None) or settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def council_name(context):
    site_settings = _site_settings(context)
    return site_settings.council_name if site_settings else DEFAULT_COUNCIL_NAME


@register.inclusion_tag("tags/service_navigation.html", takes_context=True)
def service_navigation(context):
    """The service name and the home page's children that are set to show in menus."""
    request = context.get("request")
    site = _site(context)
    items = []
    home_url = "/"
    if site is not None:
        root = site.root_page
        home, *pages = _in_active_language([root, *root.get_children().live().public().in_menu()])
        if home is not root:  # the home page in the page's language, as the menu's pages are
            home_url = home.get_url(request=request) or "/"
        for page in pages:
            url = page.get_url(request=request)
            items.append({"title": page.title, "url": url, "current": request.path.startswith(url)})
        sign_up = get_updates_url()
        if sign_up:
            items.append(
                {"title": _("Get updates"), "url": sign_up, "current": request.path.startswith(sign_up)}
            )
    return {"service_name": service_name(context), "items": items, "home_url": home_url}


def _in_active_language(pages):
    """Each page's live translation in the active language where it has one, else the page itself
    (one query; none in the default language, whose pages these are)."""
    if languages.primary(get_language() or "") == languages.primary(settings.LANGUAGE_CODE):
        return pages
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None:
        return pages
    translated = {
        page.translation_key: page
        for page in Page.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=[page.translation_key for page in pages])
    }
    return [translated.get(page.translation_key, page) for page in pages]


@register.simple_tag
def get_updates_url():
    """The "Keep me informed" sign-up, by its URL name: messaging owns the page, and this app must not
    import messaging (it sits below it). "" when messaging's URLs are not installed."""
    try:
        return reverse("messaging:sign_up")
    except NoReverseMatch:
        return ""


@register.inclusion_tag("tags/site_footer.html", takes_context=True)
def site_footer(context):
    request = context.get("request")
    site_settings = _site_settings(context)
    links = []
    if site_settings is not None:
        for title, page in [
            (_("Accessibility statement"), site_settings.accessibility_statement_page),
            (_("Privacy notice"), site_settings.privacy_notice_page),
            (_("Cookies"), site_settings.cookies_page),
        ]:
            if page is not None and page.live:
                links.append({"title": title, "url": page.get_url(request=request)})
    return {
        "links": links,
        "site_settings": site_settings,
        "service_name": service_name(context),
        "council_name": council_name(context),
    }


@register.inclusion_tag("includes/safeguarding_notice.html")
def safeguarding_notice():
    """What we do if someone tells us a child is at risk: an inset before a parent writes in their
    own words (free-text questions, a message to a forum, access needs on a booking)."""
    from django.conf import settings

    return {"phone": settings.SAFEGUARDING_FRONT_DOOR_PHONE}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in its other languages (each named in its own language), if it has any.
    A view may pass `language_alternates` itself, e.g. the same question in another language."""
    alternates = context.get("language_alternates")
    if alternates is None:
        alternates = languages.page_alternates(context.get("page"), context.get("request"))
    return {"alternates": alternates}
