from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_serve

from parentvoice import views
from parentvoice.ratelimit import limit_post

urlpatterns = [
    # Wagtail's and Django's own admin logins would skip two-factor sign-in: send both to allauth's.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for restricted documents (and pages, below) are public POSTs: limited like ours.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        limit_post("page_password", key=lambda request, restriction_id: f"document:{restriction_id}")(
            document_serve.authenticate_with_password
        ),
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # Live, public Wagtail pages only: no drafts, no restricted pages, none of the personal-link pages.
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("website-feedback/", views.feedback, name="feedback"),
    path("website-feedback/sent/", views.feedback_sent, name="feedback_sent"),
    # Open data: the /open-data/ page, its CSV downloads and the read-only /api/v1/ (docs/open-data.md).
    path("", include("feedback_loop.open_data_urls")),
    path("", include("feedback_loop.tell_us_urls")),
    path("", include("messaging.urls")),
    path("", include("surveys.urls")),
    path("", include("forums.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages in another language live under its code (/pl/...); English pages keep their addresses. Each
# language has Wagtail's page password form too (/pl/_util/...): every one of them is limited.
urlpatterns += i18n_patterns(
    # Wagtail's own front-end sign-in would skip two-factor sign-in and allauth's limits, as its admin
    # login would: restricted pages send people to allauth's (WAGTAIL_FRONTEND_LOGIN_URL).
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        limit_post(
            "page_password", key=lambda request, page_view_restriction_id, page_id: page_view_restriction_id
        )(wagtail_views.authenticate_with_password),
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
