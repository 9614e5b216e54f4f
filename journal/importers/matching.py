"""`--match PATTERN=KIND` rules: shell-style patterns that map event, project or tag names to kinds."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from journal.entries import SESSION_KINDS, check_kind
from journal.errors import InputError

NO_RULE = "matched no --match rule"  # the skip reason for names that no rule maps to a kind


@dataclass
class MatchRules:
    """Ordered rules; the first rule that matches any of the names given wins."""

    rules: list[tuple[re.Pattern, str]] = field(default_factory=list)

    def kind_for(self, *names: str | None) -> str | None:
        candidates = [" ".join(n.split()) for n in names if n is not None]
        for pattern, kind in self.rules:
            if any(pattern.match(name) for name in candidates):
                return kind
        return None

    def __bool__(self) -> bool:
        return bool(self.rules)


def parse_rule(text: str, where: str = "--match") -> tuple[re.Pattern, str]:
    """``Supervision*=supervision`` as a case-insensitive compiled pattern and a kind."""
    pattern, sep, kind = text.rpartition("=")
    if not sep or not pattern.strip():
        raise InputError(
            f"{where} {text!r} is not PATTERN=KIND",
            "write e.g. --match 'Supervision*=supervision'",
        )
    kind = check_kind(kind.strip(), SESSION_KINDS)
    return re.compile(fnmatch.translate(" ".join(pattern.split())), re.IGNORECASE), kind


def build_rules(texts: Iterable[str], mapping_file: str | None = None, file_name: str = "") -> MatchRules:
    """Rules from ``--match`` options, then from a mapping file (``PATTERN = KIND`` per line, # comments)."""
    rules = [parse_rule(text) for text in texts]
    for number, line in enumerate((mapping_file or "").splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(parse_rule(line, f"{file_name or 'mapping file'} line {number}:"))
    return MatchRules(rules)
