"""A countersignature's status, judged from what is at hand: the journal's or a bundle's.

``valid``: the signature verifies with the supervisor's key and the period's shared sessions still
give the signed digest. ``changed``: it verifies, but the sessions do not give the digest any more
(``changes`` names each session added, edited or removed). ``withdrawn``: the supervisor withdrew
it (the withdrawal verifies too). ``invalid``: anything else, with the reason in ``problem``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from journal.errors import InputError
from journal.signoffs.canonical import canonical, canonical_json, differences, digest, parse_period
from journal.signoffs.keys import verify
from journal.signoffs.signing import COUNTERSIGNATURE, WITHDRAWAL, Signed

KeyOf = Callable[[str], "tuple[str, str] | None"]  # fingerprint -> (login name, public key)


@dataclass
class Judgement:
    status: str
    statement: dict = field(default_factory=dict)
    problem: str | None = None
    changes: list[dict] = field(default_factory=list)
    withdrawal: dict | None = None


def read_statement(text: str, kind: str) -> dict | None:
    """The statement in ``text`` when it is a canonical JSON object of ``kind``, else None."""
    try:
        statement = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(statement, dict) or statement.get("type") != kind:
        return None
    return statement if canonical_json(statement) == text.encode("utf-8") else None


def _period_problem(statement: dict) -> str | None:
    period = statement.get("period") or {}
    try:
        parsed = parse_period(period.get("name") or "")
    except InputError:
        return "its period is not one"
    if (parsed.start.isoformat(), parsed.end.isoformat()) != (period.get("start"), period.get("end")):
        return "its period's name and dates disagree"
    return None


def judge(signed: Signed, *, key_of: KeyOf, journal_id: str, current: list[dict] | None,
          signed_sessions: list[dict] | None = None, withdrawal: Signed | None = None) -> Judgement:
    """The status of ``signed`` for the journal ``journal_id`` whose period now holds ``current``
    (canonical sessions; None when they are not at hand). ``signed_sessions`` are the sessions
    as signed (to name what changed), ``withdrawal`` its withdrawal, if any."""
    statement = read_statement(signed.statement, COUNTERSIGNATURE)
    if statement is None:
        return Judgement("invalid", problem="the statement is not a countersignature in canonical form")
    key = key_of(statement.get("fingerprint") or "")
    if key is None or key[0] != statement.get("supervisor"):
        return Judgement("invalid", statement, f"it was signed with a key that is not {statement.get('supervisor')}'s")
    if not verify(key[1], signed.signature, signed.statement.encode("utf-8")):
        return Judgement("invalid", statement, "the signature does not verify")
    if (statement.get("practitioner") or {}).get("journal") != journal_id:
        return Judgement("invalid", statement, "it was signed for another practitioner's journal")
    if problem := _period_problem(statement):
        return Judgement("invalid", statement, problem)
    if withdrawal is not None:
        withdrawn = read_statement(withdrawal.statement, WITHDRAWAL)
        if (withdrawn is None or withdrawn.get("withdraws") != signed.ref
                or withdrawn.get("fingerprint") != statement["fingerprint"]
                or not verify(key[1], withdrawal.signature, withdrawal.statement.encode("utf-8"))):
            return Judgement("invalid", statement, "its withdrawal does not verify")
        return Judgement("withdrawn", statement, withdrawal=withdrawn)
    signed_digest = (statement.get("digest") or {}).get("value")
    if current is None:
        return Judgement("invalid", statement, "the period's sessions are missing")
    if digest(canonical(current)) == signed_digest:
        return Judgement("valid", statement)
    known = signed_sessions is not None and digest(signed_sessions) == signed_digest
    return Judgement("changed", statement, changes=differences(signed_sessions, current) if known else [])
