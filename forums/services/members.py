"""Forum members: joining (finished when the person confirms their address), leaving, membership
links and the "forum:<id>" messaging audience."""

from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import ConsentSource
from parentvoice.tokens import read_id, sign_id

from ..models import ForumPage, Membership

# --- Members --------------------------------------------------------------------------------

MEMBERSHIP_SALT = "forums.membership"
FOLLOW_UP_JOIN = "forum:"
JOIN_WORDING = (
    "Join {forum}. We will send you up to 2 texts or emails a month about the things you tick. Every "
    "message tells you how to stop, and you can leave the forum at any time."
)


def join_forum(forum, *, name: str, email: str, mobile: str, purposes) -> "messaging.SignUpRequest":
    """Ask to join a forum: messaging sends each address a confirmation, and the person becomes a
    member (with their consents recorded) only once they confirm from it (`add_confirmed_member`)."""
    return messaging.request_sign_up(
        name=name,
        email=email,
        mobile=mobile,
        district=forum.district,
        purposes=purposes,
        wording=JOIN_WORDING.format(forum=forum.title),
        source=ConsentSource.FORUM_JOIN,
        follow_up=f"{FOLLOW_UP_JOIN}{forum.pk}",
        what=f"{forum.title}",
    )


def add_confirmed_member(follow_up: str, contact) -> Membership | None:
    """An address confirmed after a forum join: make the contact a member (once)."""
    if not follow_up.startswith(FOLLOW_UP_JOIN):
        return None
    forum = ForumPage.objects.filter(pk=int(follow_up.removeprefix(FOLLOW_UP_JOIN))).first()
    if forum is None:
        return None
    membership = Membership.objects.filter(forum=forum, contact=contact, left_at__isnull=True).first()
    return membership or Membership.objects.create(forum=forum, contact=contact)


def membership_after_confirmation(sender, *, confirmation, contact, **kwargs) -> str | None:
    """messaging's address_confirmed signal: finish a join, and send the person to their membership."""
    membership = add_confirmed_member(confirmation.follow_up, contact)
    return reverse("forums:membership", args=[membership_token(membership.pk)]) if membership else None


def leave_forum(membership_id):
    return bool(
        Membership.objects.filter(pk=membership_id, left_at__isnull=True).update(left_at=timezone.now())
    )


def membership_token(membership_id):
    return sign_id(MEMBERSHIP_SALT, membership_id)


def membership_for_token(token):
    membership_id = read_id(MEMBERSHIP_SALT, token)
    return (
        Membership.objects.select_related("forum").filter(pk=membership_id).first() if membership_id else None
    )


def member_contact_ids(forum_id):
    """The messaging audience "forum:<id>": current members (each campaign still checks consent)."""
    return Membership.objects.filter(forum_id=forum_id, left_at__isnull=True).values("contact_id")


def current_members(forum):
    return forum.memberships.filter(left_at__isnull=True).select_related("contact", "contact__district")
