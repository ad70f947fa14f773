"""Forum members: joining (finished when the person confirms their address), leaving, membership
links and the "forum:<id>" messaging audience. Parents' fora (district, county-wide, topic) are joined
with an email and/or a mobile and the purposes ticked; practitioners' fora with a work email address
and an organisation, for the forum's business only."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import SIGN_UP_PURPOSES, Channel, ConfirmedBy, ConsentSource, Purpose
from messaging.models import AddressConfirmation
from parentvoice.tokens import read_id, sign_id

from ..choices import ForumKind
from ..models import ForumPage, Membership

# --- Members --------------------------------------------------------------------------------

MEMBERSHIP_SALT = "forums.membership"
FOLLOW_UP_JOIN = "forum:"
JOIN_WORDING = (
    "Join {forum}. We will send you up to 2 texts or emails a month about the things you tick. Every "
    "message tells you how to stop, and you can leave the forum at any time."
)
PRACTITIONER_JOIN_WORDING = (
    "Join {forum}, a practitioners' forum. We will email the forum's business (meeting dates, agendas, "
    "papers and notes) to this work email address until you leave the forum. This is not marketing."
)
PRACTITIONER_LEAVE_WORDING = "Left {forum}, a practitioners' forum: no more forum business by email."
ORGANISATION_MAX_LENGTH = Membership._meta.get_field("organisation").max_length
JOB_TITLE_MAX_LENGTH = Membership._meta.get_field("job_title").max_length


class JoinError(ValueError):
    """A join that breaks the forum's rules (the forms say the same to people, field by field)."""


def join_forum(
    forum: ForumPage,
    *,
    name: str,
    email: str,
    mobile: str,
    purposes,
    organisation: str = "",
    job_title: str = "",
    language: str = "",
) -> "messaging.SignUpRequest":
    """Ask to join a forum: messaging sends each address a confirmation, and the person becomes a
    member (with their consents recorded) only once they confirm from it (`add_confirmed_member`).
    The forum's kind sets the rules: see `_join_practitioners_forum`. `language`: the one a parent
    wants messages in, given to a contact the confirmation creates."""
    if forum.for_practitioners:
        return _join_practitioners_forum(
            forum, name=name, email=email, mobile=mobile, purposes=purposes,
            organisation=organisation, job_title=job_title,
        )  # fmt: skip
    purposes = list(purposes)
    if not purposes or any(p not in SIGN_UP_PURPOSES for p in purposes):
        # Forum business is only ever agreed to by joining a practitioners' forum.
        raise JoinError("Choose what you want to hear about: meetings, consultations or outcomes.")
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
        language=language,
    )


def _join_practitioners_forum(
    forum: ForumPage, *, name: str, email: str, mobile: str, purposes, organisation: str, job_title: str
) -> "messaging.SignUpRequest":
    """A work email address (webmail too: childminders and small charities use it), no mobile, an
    organisation, and the forum's business as the only purpose. The organisation and job title ride
    on the confirmation's details until the owner confirms, so nothing is kept about them before."""
    organisation, job_title = (organisation or "").strip(), (job_title or "").strip()
    if mobile:
        raise JoinError("A practitioners' forum is joined with a work email address, not a mobile number.")
    if not email:
        raise JoinError("Enter your work email address.")
    if not organisation:
        raise JoinError("Enter the organisation you work for.")
    if len(organisation) > ORGANISATION_MAX_LENGTH or len(job_title) > JOB_TITLE_MAX_LENGTH:
        raise JoinError(
            f"The organisation and job title must each be {ORGANISATION_MAX_LENGTH} characters or fewer."
        )
    if any(p != Purpose.FORUM_BUSINESS for p in purposes):
        raise JoinError(
            "A practitioners' forum sends its business only: sign up for parents' news separately."
        )
    with transaction.atomic():
        sign_up = messaging.request_sign_up(
            name=name,
            email=email,
            mobile=None,
            district=forum.district,
            purposes=[Purpose.FORUM_BUSINESS],
            wording=PRACTITIONER_JOIN_WORDING.format(forum=forum.title),
            source=ConsentSource.FORUM_JOIN,
            follow_up=f"{FOLLOW_UP_JOIN}{forum.pk}",
            what=f"the business of {forum.title} (meeting dates, agendas, papers and notes)",
        )
        for confirmation in sign_up.confirmations:
            confirmation.details = {
                **confirmation.details, "organisation": organisation, "job_title": job_title,
            }  # fmt: skip
            confirmation.save(update_fields=["details"])
    return sign_up


def add_confirmed_member(follow_up: str, contact, details: dict | None = None) -> Membership | None:
    """An address confirmed after a forum join: make the contact a member (once). A practitioner's
    organisation and job title come from the confirmation they opened, so only they can change them."""
    if not follow_up.startswith(FOLLOW_UP_JOIN):
        return None
    forum = ForumPage.objects.filter(pk=int(follow_up.removeprefix(FOLLOW_UP_JOIN))).first()
    if forum is None:
        return None
    work = {}
    if forum.for_practitioners:
        details = details or {}
        work = {
            "organisation": str(details.get("organisation") or "")[:ORGANISATION_MAX_LENGTH],
            "job_title": str(details.get("job_title") or "")[:JOB_TITLE_MAX_LENGTH],
        }
    membership = Membership.objects.filter(forum=forum, contact=contact, left_at__isnull=True).first()
    if membership is None:
        return Membership.objects.create(forum=forum, contact=contact, **work)
    if work.get("organisation") and any(getattr(membership, k) != v for k, v in work.items()):
        for field, value in work.items():
            setattr(membership, field, value)
        membership.save(update_fields=list(work))
    return membership


def membership_after_confirmation(
    sender, *, confirmation: AddressConfirmation, contact, **kwargs
) -> str | None:
    """messaging's address_confirmed signal: finish a join, and send the person to their membership."""
    membership = add_confirmed_member(confirmation.follow_up, contact, confirmation.details)
    return reverse("forums:membership", args=[membership_token(membership.pk)]) if membership else None


@transaction.atomic
def leave_forum(membership_id: int) -> bool:
    """Leave a forum (once). Leaving a practitioners' forum ends the forum business by email, unless
    the person still belongs to another practitioners' forum: that consent was given for membership."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("forum", "contact")
        .filter(pk=membership_id, left_at__isnull=True)
        .first()
    )
    if membership is None:
        return False
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    if membership.forum.for_practitioners:
        _end_forum_business(membership)
    return True


def _end_forum_business(membership: Membership) -> None:
    still_a_practitioner = (
        Membership.objects.filter(
            contact=membership.contact, left_at__isnull=True, forum__kind=ForumKind.PRACTITIONERS
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if still_a_practitioner:
        return
    messaging.set_consents(
        membership.contact,
        [(channel, Purpose.FORUM_BUSINESS, False) for channel in Channel.values],
        source=ConsentSource.FORUM_JOIN,
        wording=PRACTITIONER_LEAVE_WORDING.format(forum=membership.forum.title),
        evidence=messaging.Evidence(ConfirmedBy.PERSONAL_LINK),
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
