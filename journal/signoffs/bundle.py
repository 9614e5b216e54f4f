"""The bundle: one JSON file that lets anyone check a journal's countersignatures, with no journal.

``journal signoffs export FILE`` writes it; ``journal verify FILE`` checks it. It holds the
practitioner's journal id, every signature with its statement (and withdrawal), the sessions each
signature covered, the public keys that signed, and the signed periods' sessions as they are now,
all in canonical form. Its bytes depend only on the journal's content, so the SHA-256 that
`journal statement` prints matches the file exported at the same state.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from journal.db import Journal
from journal.errors import InputError
from journal.signoffs.canonical import canonical, canonical_json, identity
from journal.signoffs.judge import judge
from journal.signoffs.signing import Signed
from journal.i18n import _

FORMAT = "practice-journal-signoffs"
VERSION = 1


def build(journal: Journal) -> bytes:
    """The bundle's bytes (canonical JSON and a final newline)."""
    from journal.settings import get_setting
    from journal.signoffs.store import CurrentSessions, key_book

    journal_id, _ = identity(journal.conn)
    keys = key_book(journal)
    periods = CurrentSessions(journal)
    signoffs, current, used = [], {}, set()
    for row in journal.query("SELECT s.statement, s.signature, s.withdrawal, s.withdrawal_signature, "
                             "n.sessions AS snapshot FROM signoffs s LEFT JOIN signoff_snapshots n ON n.digest = "
                             "json_extract(CASE WHEN json_valid(s.statement) THEN s.statement END, '$.digest.value') "
                             "ORDER BY s.period_start, s.signed_at, s.id"):
        statement = json.loads(row["statement"]) if _is_json(row["statement"]) else {}
        sessions = periods.sessions(statement) if isinstance(statement, dict) and statement else None
        name = (statement.get("period") or {}).get("name") if isinstance(statement, dict) else None
        codes = bool((statement.get("digest") or {}).get("client_codes")) if isinstance(statement, dict) else False
        if sessions is not None:
            current[_period_key(name, codes)] = canonical(sessions)
        used.add(statement.get("fingerprint") if isinstance(statement, dict) else None)
        signoffs.append({
            "statement": row["statement"], "signature": row["signature"],
            "withdrawal": ({"statement": row["withdrawal"], "signature": row["withdrawal_signature"]}
                           if row["withdrawal"] else None),
            "signed_sessions": json.loads(row["snapshot"]) if row["snapshot"] else None,
        })
    document = {
        "format": FORMAT, "version": VERSION,
        "practitioner": {"name": get_setting(journal, "practitioner") or "", "journal": journal_id},
        "keys": {fp: {"supervisor": keys[fp][0], "public_key": keys[fp][1]} for fp in sorted(used) if fp in keys},
        "signoffs": signoffs,
        "periods": current,
    }
    return canonical_json(document) + b"\n"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _period_key(name: str | None, client_codes: bool) -> str:
    """``2026-03``, or ``2026-03+clients`` for the same month's sessions with their client codes."""
    return f"{name}+clients" if client_codes else str(name)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Checked:
    """One signature of a bundle, judged."""

    period: str
    supervisor: str
    fingerprint: str
    signed_at: str
    status: str
    problem: str | None
    changes: list[dict]
    reason: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def not_a_bundle(path: str, why: str) -> InputError:
    return InputError(_("{path} is not a countersignature bundle ({why})").format(path=path, why=why),
                      _("pass the file `journal signoffs export FILE` wrote"))


def load(path: Path) -> dict:
    """The bundle at ``path``; a file that is not one is an error (exit 2)."""
    try:
        document = json.loads(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(_("cannot read {path} ({strerror})").format(path=path, strerror=exc.strerror), _("check the path")) from None
    except ValueError:
        raise not_a_bundle(str(path), "not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise not_a_bundle(str(path), "no \"format\": \"practice-journal-signoffs\"")
    if document.get("version") != VERSION:
        raise not_a_bundle(str(path), f"version {document.get('version')!r}, this journal reads {VERSION}")
    shapes = (("practitioner", dict), ("keys", dict), ("signoffs", list), ("periods", dict))
    for name, kind in shapes:
        if not isinstance(document.get(name), kind):
            raise not_a_bundle(str(path), f"its {name!r} is missing or malformed")
    return document


def _sessions(value) -> list[dict] | None:
    """A list of canonical sessions from a bundle, or None when it is not one."""
    if isinstance(value, list) and all(isinstance(s, dict) and isinstance(s.get("id"), str)
                                       and isinstance(s.get("start"), str) and isinstance(s.get("kind"), str)
                                       for s in value):
        return value
    return None


def verify_bundle(document: dict) -> list[Checked]:
    """Judge every signature of a loaded bundle against the bundle's own keys and sessions."""
    keys = {fp: (entry.get("supervisor"), entry.get("public_key")) for fp, entry in document["keys"].items()
            if isinstance(entry, dict)}
    journal_id = document["practitioner"].get("journal")
    checked = []
    for item in document["signoffs"]:
        item = item if isinstance(item, dict) else {}
        signed = Signed(str(item.get("statement") or ""), str(item.get("signature") or ""))
        withdrawal = item.get("withdrawal") if isinstance(item.get("withdrawal"), dict) else None
        try:
            statement = json.loads(signed.statement)
        except ValueError:
            statement = {}
        statement = statement if isinstance(statement, dict) else {}
        name = (statement.get("period") or {}).get("name") if isinstance(statement.get("period"), dict) else None
        codes = bool((statement.get("digest") or {}).get("client_codes")) if isinstance(statement.get("digest"), dict) else False
        current = document["periods"].get(_period_key(name, codes))
        verdict = judge(signed, key_of=keys.get, journal_id=journal_id,
                        current=_sessions(current), signed_sessions=_sessions(item.get("signed_sessions")),
                        withdrawal=Signed(str(withdrawal.get("statement")), str(withdrawal.get("signature")))
                        if withdrawal else None)
        checked.append(Checked(
            period=str(name or "?"), supervisor=str(statement.get("supervisor") or "?"),
            fingerprint=str(statement.get("fingerprint") or "?"), signed_at=str(statement.get("signed_at") or "?"),
            status=verdict.status, problem=verdict.problem,
            changes=[{"id": c["id"], "change": c["change"], "kind": c["session"]["kind"], "start": c["session"]["start"]}
                     for c in verdict.changes],
            reason=(verdict.withdrawal or {}).get("reason")))
    return checked
