"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md)."""
