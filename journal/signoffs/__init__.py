"""Countersigned periods: a supervisor signs a period's shared sessions, anyone verifies it offline.

- ``canonical``: periods, the canonical JSON of a period's shared sessions and its digest.
- ``keys``: a supervisor's Ed25519 key pair, the private key sealed under their password (scrypt).
- ``signing``: the signed statement (and a withdrawal), signing and checking a signature.
- ``judge``: a signature's status (valid, changed, withdrawn, invalid) from what is at hand; the
  journal and ``journal verify`` judge through this one function.
- ``inbox``: the file beside the published report that `journal serve` writes signatures to.
- ``store``: signatures kept in the journal, taken in from the inbox, and their state per month.
- ``bundle``: the JSON bundle `journal signoffs export` writes and `journal verify` checks.

It imports no web framework; the supervisor's pages (``journal.supervisor.countersign``) call it.
"""
