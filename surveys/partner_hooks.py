"""Admin hooks for partners and their links (imported by wagtail_hooks)."""
