from django.db import models


class BookingStatus(models.TextChoices):
    """A booking's status. Moves only as `services.bookings.BOOKING_TRANSITIONS` allows."""

    CONFIRMED = "confirmed", "Confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class ForumKind(models.TextChoices):
    """What a forum is for. A district forum needs its district; the others may name one or be
    county-wide. Practitioners' fora are joined with a work email address and an organisation."""

    DISTRICT = "district", "District forum"
    COUNTY = "county", "County-wide forum"
    TOPIC = "topic", "Topic forum"
    PRACTITIONERS = "practitioners", "Practitioners' forum"


class EventKind(models.TextChoices):
    """What kind of event it is: filters on What's on. Only forum meetings are written up afterwards."""

    FORUM_MEETING = "forum_meeting", "Forum meeting"
    INFORMATION_SESSION = "information_session", "Information session"
    TRANSITION_EVENING = "transition_evening", "Transition evening"
    DROP_IN = "drop_in", "Drop-in"
    WORKSHOP = "workshop", "Workshop or course"
    OTHER = "other", "Other event"


class EventAudience(models.TextChoices):
    """Who an event is for: filters on What's on."""

    PARENTS = "parents", "Parents and carers"
    PRACTITIONERS = "practitioners", "Practitioners"
    EVERYONE = "everyone", "Parents, carers and practitioners"


class AttendanceGroup(models.TextChoices):
    """Who came to a meeting, as counts only: the parent roles, practitioners, and those whose role
    nobody knows. Keys match messaging's ParentRole so reach can put them side by side."""

    MOTHER = "mother", "Mothers"
    FATHER = "father", "Fathers"
    STEP_PARENT = "step_parent", "Step-parents"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parents"
    GRANDPARENT = "grandparent", "Grandparents"
    FOSTER_CARER = "foster_carer", "Foster carers"
    KINSHIP_CARER = "kinship_carer", "Kinship carers"
    YOUNG_CARER_PARENT = "young_carer_parent", "Parents of young carers"
    OTHER_CARER = "other_carer", "Other carers"
    PRACTITIONER = "practitioner", "Practitioners"
    NOT_KNOWN = "not_known", "Role not known"
