from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff may not remove their only authenticator app while the admin requires one.
        if (
            settings.STAFF_MFA_REQUIRED
            and authenticator.type == Authenticator.Type.TOTP
            and authenticator.user.can_access_admin
        ):
            return False
        return super().can_delete_authenticator(authenticator)
