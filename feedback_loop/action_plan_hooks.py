"""Admin hooks for #16 (imported by wagtail_hooks)."""
