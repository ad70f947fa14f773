"""Each forum's coordinators: their group and permissions, and messages sent to them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission

from messaging import services as messaging
from messaging.choices import Channel
from parentvoice.safeguarding.services import is_held, screen

from ..models import ForumEnquiry, ForumPage

# --- Coordinators -----------------------------------------------------------------------------

COORDINATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def ensure_coordinators(forum):
    """The forum's own coordinators group, named by the forum's id (so no title can make it another
    forum's group or a role), with page permissions on the forum's subtree only and the permission to
    see the forum's people (forums/permissions.py). Its members also need the general "Forum
    coordinators" role for admin access."""
    from ..permissions import CODENAME, coordinators_group_name

    if forum.coordinators_id is not None:
        return forum.coordinators
    group, _ = Group.objects.get_or_create(name=coordinators_group_name(forum.pk, forum.title))
    group.permissions.add(Permission.objects.get(content_type__app_label="forums", codename=CODENAME))
    for codename in COORDINATOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=forum, permission=permission)
    ForumPage.objects.filter(pk=forum.pk).update(coordinators=group)
    forum.coordinators = group
    return group


def share_coordinators(translation: ForumPage) -> None:
    """A translated forum has no coordinators group of its own: its English forum's coordinators may
    edit and publish it and its events, and its members and bookings are the English forum's."""
    group = translation.source_page.coordinators
    if group is None:
        return
    for codename in COORDINATOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=translation, permission=permission)


@receiver(post_save, sender=ForumPage)
def _forum_created(sender, instance, created, **kwargs):
    if created and instance.is_translation:
        share_coordinators(instance)
    elif created:
        ensure_coordinators(instance)


# --- Contacting coordinators --------------------------------------------------------------------


def send_enquiry(forum, *, name, reply_to, message):
    """Save a message to the forum's coordinators and email it to each of them (or, where the forum
    has none yet, to those who review every forum's write-ups). No coordinator's address is ever
    shown to the sender.

    It is screened first: a message that may be a disclosure about a child's safety is held, and the
    coordinators are told only that a message is waiting with the safeguarding lead; it is emailed
    to them if the lead closes its case with no concern (`send_released_enquiry`)."""
    with transaction.atomic():
        enquiry = ForumEnquiry.objects.create(forum=forum, name=name, reply_to=reply_to, message=message)
        screen("forums.enquiry", enquiry.pk)
        if is_held("forums.enquiry", enquiry.pk):
            subject = f"{forum.title}: a message held for safeguarding review"
            body = (
                f"Someone wrote to {forum.title} through the website. A safeguarding lead is reading "
                "their message first, because it may be about a child's safety. If there is no "
                "concern, it will be emailed to you then."
            )
        else:
            subject, body = _enquiry_email(forum, enquiry)
        email_coordinators(forum, subject=subject, body=body, key=f"forum-enquiry:{enquiry.pk}")
    return enquiry


def send_released_enquiry(enquiry_id: int) -> None:
    """A held enquiry the safeguarding lead found no concern in goes to the coordinators after all."""
    enquiry = ForumEnquiry.objects.select_related("forum").filter(pk=enquiry_id).first()
    if enquiry is None:
        return
    subject, body = _enquiry_email(enquiry.forum, enquiry)
    email_coordinators(enquiry.forum, subject=subject, body=body, key=f"forum-enquiry-released:{enquiry.pk}")


def email_coordinators(forum, *, subject: str, body: str, key: str) -> None:
    """One service email to each of `coordinators_or_reviewers(forum)`, sent once per `key` and user."""
    for user in coordinators_or_reviewers(forum):
        messaging.send_service_message(
            channel=Channel.EMAIL, recipient=user.email, subject=subject, body=body, key=f"{key}:{user.pk}"
        )


def coordinators_or_reviewers(forum):
    """The active users to tell about a forum's business: its own coordinators (its group, found by
    id), or, when it has none, those who hold `forums.review_write_ups` (by permission, on the user or
    a group, never by a group's name; superusers are not written to for being superusers)."""
    users = get_user_model().objects
    recipients = users.filter(is_active=True, groups=forum.coordinators) if forum.coordinators_id else None
    if not recipients:
        holds = {"content_type__app_label": "forums", "codename": "review_write_ups"}
        recipients = users.filter(is_active=True).filter(
            Q(user_permissions__in=Permission.objects.filter(**holds))
            | Q(groups__permissions__in=Permission.objects.filter(**holds))
        )
    return recipients.distinct().order_by("pk")


def _enquiry_email(forum, enquiry) -> tuple[str, str]:
    return (
        f"{forum.title}: a message from {enquiry.name}",
        f"{enquiry.name} wrote to {forum.title} through the website:\n\n{enquiry.message}\n\n"
        f"Reply to: {enquiry.reply_to}",
    )
