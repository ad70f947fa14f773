from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
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
