"""Publishing a decision tells the parents behind it (once per status it reaches)."""

from django.dispatch import receiver
from wagtail.signals import published

from . import services
from .models import Decision


@receiver(published, sender=Decision)
def _decision_published(sender, instance, revision=None, **kwargs):
    # Inside the publish transaction: the decision is not published unless its notice is recorded.
    services.notify_outcome(instance, user=getattr(revision, "user", None))
