from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse


class StaffMFAMiddleware:
    """Anyone who can reach an admin (Wagtail's, or Django's as `is_staff`) must set up an
    authenticator app (TOTP) first. Always on in production (production.py forces STAFF_MFA_REQUIRED).

    Signed-in staff without one are sent to the set-up page whenever they ask for the admin.
    """

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.info(
                request, "Set up an authenticator app before you use the admin. It keeps families' data safe."
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request):
        if not settings.STAFF_MFA_REQUIRED or not request.path.startswith(self.ADMIN_PREFIXES):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.can_access_admin:
            return False
        return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


class StaffOnlyAdminMiddleware:
    """A signed-in person who may not use an admin (a parent with an account) gets a plain page saying
    the area is for council staff. Left to them, Wagtail and Django send such a user to the sign-in
    page with `next` pointing back at the admin, and allauth sends a signed-in user straight on to
    `next`: an endless redirect."""

    # (prefix, may this user use it), in the order they are checked.
    ADMINS = (
        ("/admin/", lambda user: user.is_active and user.has_perm("wagtailadmin.access_admin")),
        ("/django-admin/", lambda user: user.is_active and user.is_staff),
    )
    # Signing out must still work from anywhere.
    ALLOWED = ("/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.ALLOWED):
            for prefix, allowed in self.ADMINS:
                if request.path.startswith(prefix):
                    if not allowed(user):
                        return render(request, "admin_not_for_you.html", status=403)
                    break
        return self.get_response(request)
