"""Data protection services: `retention` (the daily rules) and `subjects` (subject access and erasure);
`masking` shows staff without the permission 07*** ***123 instead of a parent's details."""
