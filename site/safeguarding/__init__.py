"""Safeguarding review: free text parents send is screened against a term list that safeguarding leads
keep, and anything flagged (by the screen or by hand) opens a case that only leads can open."""
