"""The signed statements: a countersignature of a period, and the withdrawal of one.

A statement is a JSON object serialised canonically (:func:`journal.signoffs.canonical.canonical_json`);
the signature is Ed25519 over exactly those bytes, kept as base64. The text is stored as it was
signed, so it verifies byte for byte wherever it is carried.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journal.rules.periods import Period
from journal.signoffs.canonical import canonical_json
from journal.signoffs.keys import b64

COUNTERSIGNATURE = "practice-journal/countersignature/1"
WITHDRAWAL = "practice-journal/withdrawal/1"
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Signed:
    statement: str  # the canonical JSON text that was signed
    signature: str  # base64

    @property
    def ref(self) -> str:
        """A short name for this signature (the SHA-256 of its bytes): what a withdrawal points at."""
        return signature_ref(self.signature)

    def to_dict(self) -> dict:
        return {"statement": self.statement, "signature": self.signature}


def signature_ref(signature: str) -> str:
    return hashlib.sha256(signature.encode("ascii")).hexdigest()[:24]


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def countersignature(*, practitioner: str | None, journal_id: str, period: Period, digest: str,
                     sessions: int, client_codes: bool, totals: dict, supervisor: str, fingerprint: str,
                     comment: str | None, signed_at: str | None = None) -> dict:
    """The statement a supervisor signs for ``period``."""
    return {
        "type": COUNTERSIGNATURE,
        "practitioner": {"name": practitioner or "", "journal": journal_id},
        "period": {"name": period.name, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "digest": {"algorithm": "sha256", "sessions": sessions, "client_codes": client_codes, "value": digest},
        "totals": totals,
        "supervisor": supervisor,
        "fingerprint": fingerprint,
        "signed_at": signed_at or now_text(),
        "comment": (comment or "").strip()[:MAX_COMMENT] or None,
    }


def withdrawal(signed: Signed, *, reason: str, withdrawn_at: str | None = None) -> dict:
    """The statement that withdraws ``signed`` (signed by the same supervisor's key)."""
    original = json.loads(signed.statement)
    return {
        "type": WITHDRAWAL,
        "withdraws": signed.ref,
        "period": original["period"],
        "practitioner": original["practitioner"],
        "supervisor": original["supervisor"],
        "fingerprint": original["fingerprint"],
        "withdrawn_at": withdrawn_at or now_text(),
        "reason": reason.strip()[:MAX_COMMENT],
    }


def sign(private_key: Ed25519PrivateKey, statement: dict) -> Signed:
    text = canonical_json(statement)
    return Signed(text.decode("utf-8"), b64(private_key.sign(text)))
