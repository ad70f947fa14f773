"""Publishing a decision tells the parents behind it (once per status it reaches)."""

import logging

from django.dispatch import receiver
from wagtail.signals import published

from .models import Decision
from .services import outcomes

logger = logging.getLogger(__name__)


@receiver(published, sender=Decision)
def _decision_published(sender, instance, revision=None, **kwargs):
    # Wagtail has already saved the decision as published. If starting the notice fails, the
    # dashboard lists the decision under "Published, parents not told yet" with a button to retry.
    try:
        outcomes.notify_outcome(instance, user=getattr(revision, "user", None))
    except Exception:  # see above; logged with the id only, no personal data
        logger.exception("Could not start the outcome notice for decision %s", instance.pk)
