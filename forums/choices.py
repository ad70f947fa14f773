from django.db import models


class BookingStatus(models.TextChoices):
    """A booking's status. Moves only as `services.bookings.BOOKING_TRANSITIONS` allows."""

    CONFIRMED = "confirmed", "Confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
