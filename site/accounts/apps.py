from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parentvoice.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - deploy checks
