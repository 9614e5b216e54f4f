"""Which sessions a supervisor is shown: the allow-list's rows, kept apart from ``publish`` so that
`journal check` (which names the months awaiting countersignature) reads it without loading publishing.

Personal therapy keeps date, duration, therapist and mode only; client work never names a person
(clients appear only as codes, and only with --client-codes). A session that has not ended yet is
left out until it has (journal.planned).
"""

from __future__ import annotations

from journal.planned import counted

# The sessions that are published (the rules' figures are computed over exactly these too).
PUBLISHED_SESSIONS = ("kind IN ('therapy', 'supervision', 'practice', 'cpd') AND shared = 1 AND deleted_at IS NULL "
                      f"AND {counted('')}")
