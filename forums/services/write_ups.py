"""Meeting write-ups: the agenda reminder before a forum meeting, and the checklist after it
(attendance by group as counts, notes, minutes within ten working days, what parents said)."""
