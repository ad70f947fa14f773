"""Data protection: retention rules, subject access and erasure across every app, and masking of
parents' contact details for staff who do not need them."""
