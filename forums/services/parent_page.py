"""A parent's own page without an account: a one-time link sent on request to an email address or a
mobile number, and what the page shows (bookings, fora, "tell me what you decide" requests,
contact preferences)."""
