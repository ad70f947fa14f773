"""Saving an event (its forum link, its calendar SEQUENCE, telling people booked when it changes) and
naming it for texts, emails and calendars read away from the forum's page."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from ..models import CALENDAR_FIELDS, EventPage, ForumPage

# Set only by UPDATE in services.write_ups (the agenda reminder, the write-up), so a page published
# from an older revision must keep what is saved.
WRITE_UP_STATE_FIELDS = ("agenda_reminder_sent_at", "written_up_at", "written_up_by_id")


def _touches(update_fields, names) -> bool:
    return update_fields is None or bool(set(update_fields) & set(names))


def prepare_event_for_save(event: EventPage, update_fields=None) -> None:
    """Before an event is saved: remember its forum and take the forum's district (listings filter
    by the event's district; an event outside the fora keeps the one its editor chose, None being
    county-wide), keep its write-up state, and bump its iCal SEQUENCE when anything a calendar shows
    has changed, so calendar apps replace the old copy. One query reads what is saved for both."""
    if event.path and (update_fields is None or "forum" in update_fields):
        # From where the page is, every time: a copy (or a revision saved before a move) carries the
        # old forum, whose coordinators would keep its bookings and write-up.
        parent = event.get_parent()
        event.forum_id = parent.pk if parent is not None and parent.specific_class is ForumPage else None
    if event.forum_id is not None and (update_fields is None or "district" in update_fields):
        event.district_id = (
            ForumPage.objects.filter(pk=event.forum_id).values_list("district_id", flat=True).first()
        )
    calendar = _touches(update_fields, CALENDAR_FIELDS)
    write_up = _touches(update_fields, WRITE_UP_STATE_FIELDS)
    if event.pk is None or not (calendar or write_up):
        return
    saved = (
        EventPage.objects.filter(pk=event.pk)
        .values(*CALENDAR_FIELDS, "sequence", *WRITE_UP_STATE_FIELDS)
        .first()
    )
    if saved is None:
        return
    if write_up:
        _keep_write_up_state(event, saved)
    if calendar and any(saved[name] != getattr(event, name) for name in CALENDAR_FIELDS):
        event.sequence = saved["sequence"] + 1
        event._calendar_changed = True  # people who booked are told once it is saved (below)


def _keep_write_up_state(event: EventPage, saved: dict) -> None:
    """Wagtail publishes a page from its revision's copy of every field, so a revision saved before
    the reminder was sent or the meeting was written up would otherwise clear them (and the reminder
    would go again)."""
    for name in WRITE_UP_STATE_FIELDS:
        setattr(event, name, saved[name])
    if event.start is not None and saved["start"] != event.start:
        # A meeting moved to another time is reminded about again, five days before the new one.
        event.agenda_reminder_sent_at = None


@receiver(post_save, sender=EventPage)
def _event_saved(sender, instance, created, **kwargs):
    if getattr(instance, "_calendar_changed", False) and instance.live:
        instance._calendar_changed = False
        if instance.is_translation:
            return  # its English event tells the people booked (all bookings are there)
        from ..tasks import notify_event_change

        event_id, sequence = instance.pk, instance.sequence
        transaction.on_commit(lambda: notify_event_change.enqueue(event_id, sequence))


@receiver(post_save, sender=ForumPage)
def _forum_saved(sender, instance, created, **kwargs):
    # A forum that moves district takes its events with it, so What's on lists them there.
    if not created:
        EventPage.objects.filter(forum_id=instance.pk).exclude(district_id=instance.district_id).update(
            district_id=instance.district_id
        )


@receiver(post_page_move)
def _event_moved(sender, instance, parent_page_after, **kwargs):
    # Wagtail moves a page without saving its specific model: the event follows its new place (a
    # forum's district, or outside the fora keeping the district it had) here instead.
    if not issubclass(sender, EventPage):
        return
    parent = parent_page_after.specific
    fields = {"forum": parent if isinstance(parent, ForumPage) else None}
    if isinstance(parent, ForumPage):
        fields["district_id"] = parent.district_id
    EventPage.objects.filter(pk=instance.pk).update(**fields)


def event_url(event: EventPage) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (event.get_url() or "")


def forum_of_event(event: EventPage) -> ForumPage | None:
    """The event's forum, or None for an event outside the fora (straight under the fora index)."""
    if event.forum_id is not None:
        return event.forum
    parent = event.get_parent()
    parent = parent.specific if parent is not None else None
    return parent if isinstance(parent, ForumPage) else None


def is_outside_fora(event: EventPage) -> bool:
    return forum_of_event(event) is None


def event_name(event: EventPage) -> str:
    """The event's name with its forum's, for texts, emails and calendars read away from the forum's
    page. A title need not repeat the forum (pages show it from the event's fields); an older title
    that already does is left as it is."""
    forum = event.forum
    if forum is None or forum.title.lower() in event.title.lower():
        return event.title
    return f"{forum.title}: {event.title}"
