"""This app's free text, registered with parentvoice.safeguarding (see its registry)."""
