"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure."""
