from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Parent fora"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import demo  # noqa: F401 - registers the demo content hook
