"""Who may see a forum's people (its members, and its events' bookings).

One object permission, checked the Django way: `user.has_perm(SEE_PEOPLE, forum_or_event)`. It is held
by the forum's own coordinators group (`ForumPage.coordinators`, found by the forum's id, never by a
group's name) when that group has the `forums.view_forum_people` permission, which the group is given
when it is created. Superusers have it; nobody else does: not Wagtail's Editors or Moderators, not
officers who may edit every page, not the general "Forum coordinators" role, not another forum's
coordinators.

`ForumPeopleBackend` is in AUTHENTICATION_BACKENDS; it answers only this permission and only for a
forum or an event. Django's ModelBackend never grants a permission on an object, so the group holding
the model permission is not enough on its own: it must be that forum's coordinators group.

An event outside the fora (straight under the fora index) has no coordinators: its bookings are for
staff holding the model permission `forums.view_county_event_people` (consultation officers). Being a
coordinator of some forum gives nothing there.
"""

from django.contrib.auth.backends import ModelBackend

CODENAME = "view_forum_people"
SEE_PEOPLE = f"forums.{CODENAME}"
SEE_COUNTY_EVENT_PEOPLE = "forums.view_county_event_people"
GROUP_NAME_LIMIT = 150  # auth.Group.name's max_length


def coordinators_group_name(forum_id, title):
    """The forum's coordinators group's name: its id keeps it unique and apart from the roles (a
    forum titled "Forum" gets "Forum coordinators (forum 7)", never the "Forum coordinators" role)."""
    suffix = f" coordinators (forum {forum_id})"
    return title[: GROUP_NAME_LIMIT - len(suffix)] + suffix


def forum_of(obj):
    """The forum a forum page or an event page belongs to, or None."""
    from .models import EventPage, ForumPage

    if isinstance(obj, ForumPage):
        return obj
    if isinstance(obj, EventPage):
        if obj.forum_id is not None:
            return obj.forum
        parent = obj.get_parent()
        parent = parent.specific if parent is not None else None
        return parent if isinstance(parent, ForumPage) else None
    return None


class ForumPeopleBackend:
    """Grants SEE_PEOPLE on a forum (or its events) to members of that forum's coordinators group,
    when the group holds the permission."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        from .models import EventPage

        if perm != SEE_PEOPLE or obj is None or not user.is_active:
            return False
        # A translation's people are its English page's, and so are those who may see them.
        obj = getattr(obj, "source_page", None) or obj
        forum = forum_of(obj)
        if forum is None:
            # Asked of ModelBackend itself, not user.has_perm, so no backend is asked about an object
            # it was never meant for (and this one is not asked again).
            return isinstance(obj, EventPage) and ModelBackend().has_perm(user, SEE_COUNTY_EVENT_PEOPLE)
        if forum.coordinators_id is None:
            return False
        return user.groups.filter(
            pk=forum.coordinators_id,
            permissions__content_type__app_label="forums",
            permissions__codename=CODENAME,
        ).exists()
