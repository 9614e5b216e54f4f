"""`--match PATTERN=KIND` rules and `--client-pattern`: how names in another tool's file become
a kind, a person and a client code.

A pattern is shell-style and case-insensitive, and may capture a part of the name:
``Supervision with {with}=supervision`` takes the person from an event's title, and
``Session {client}=practice`` a client code. Client work never takes a person (a client's name
is never stored), so ``{with}`` is refused on a practice rule.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from journal.entries import SESSION_KINDS, check_kind
from journal.errors import InputError
from journal.i18n import N_, _

NO_RULE = N_("matched no --match rule")  # the skip reason for names that no rule maps to a kind
DEFAULT_CLIENT_PATTERN = r"C[0-9]+"  # --client-pattern: project names and tags that are client codes
FIELDS = {"with": N_("the person (supervisor, therapist, trainer)"), "client": N_("a client code")}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Matched:
    """What a rule made of a name: the kind, and the person or client code it captured."""

    kind: str
    person: str | None = None
    client: str | None = None


@dataclass
class MatchRules:
    """Ordered rules; the first rule that matches any of the names given wins."""

    rules: list[tuple[re.Pattern, str]] = field(default_factory=list)

    def match(self, *names: str | None) -> Matched | None:
        candidates = [" ".join(n.split()) for n in names if n] or [""]
        for pattern, kind in self.rules:
            for name in candidates:
                found = pattern.match(name)
                if found:
                    captured = {key: " ".join(value.split()) or None for key, value in found.groupdict().items()}
                    return Matched(kind, captured.get("with"), captured.get("client"))
        return None

    def __bool__(self) -> bool:
        return bool(self.rules)


def parse_rule(text: str, where: str = "--match") -> tuple[re.Pattern, str]:
    """``Supervision with {with}=supervision`` as a case-insensitive compiled pattern and a kind."""
    pattern, sep, kind = text.rpartition("=")
    if not sep or not pattern.strip():
        raise InputError(
            _("{where} {text!r} is not PATTERN=KIND").format(where=where, text=text),
            _("write e.g. --match 'Supervision*=supervision'"),
        )
    kind = check_kind(kind.strip(), SESSION_KINDS)
    pieces = _PLACEHOLDER.split(" ".join(pattern.split()))
    regex = ""
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            regex += fnmatch.translate(piece)[len("(?s:"):-len(r")\Z")]
            continue
        name = piece.strip().lower()
        if name not in FIELDS:
            raise InputError(_("{where} {text!r}: unknown field {{{piece}}}").format(where=where, text=text, piece=piece),
                             _("capture {{with}} ({person}) or {{client}} ({client})").format(
                                 person=_(FIELDS["with"]), client=_(FIELDS["client"])))
        if f"(?P<{name}>" in regex:
            raise InputError(_("{where} {text!r} captures {{{name}}} twice").format(where=where, text=text, name=name), _("capture it once"))
        if name == "with" and kind == "practice":
            raise InputError(_("{where} {text!r}: client work never stores a client's name").format(where=where, text=text),
                             _("capture a code with {client} instead, e.g. 'Session {client}=practice'"))
        if name == "client" and kind != "practice":
            raise InputError(_("{where} {text!r}: {{client}} is for practice sessions").format(where=where, text=text), _("map the rule to practice"))
        regex += f"(?P<{name}>.+?)"
    return re.compile(rf"(?s:{regex})\Z", re.IGNORECASE), kind


def build_rules(texts: Iterable[str], mapping_file: str | None = None, file_name: str = "") -> MatchRules:
    """Rules from ``--match`` options, then from a mapping file (``PATTERN = KIND`` per line, # comments)."""
    rules = [parse_rule(text) for text in texts]
    for number, line in enumerate((mapping_file or "").splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(parse_rule(line, _("{file} line {number}:").format(file=file_name or _("mapping file"), number=number)))
    return MatchRules(rules)


def client_pattern(text: str) -> re.Pattern:
    """``--client-pattern``: a regular expression that a whole project name or tag must match to be
    a client code (case-insensitive)."""
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise InputError(_("--client-pattern {text!r} is not a regular expression ({exc})").format(text=text, exc=exc),
                         _("write e.g. --client-pattern 'C[0-9]+'")) from None


def client_in(pattern: re.Pattern, *names: str | None) -> str | None:
    """The first of ``names`` that is wholly a client code by ``pattern``, upper-cased."""
    for name in names:
        if name and pattern.fullmatch(name.strip()):
            return name.strip().upper()
    return None


GROUP_TAG = re.compile(r"group(?::(\d+))?", re.IGNORECASE)


@dataclass
class TagFields:
    """What a tracker's tags say besides tags: a client code, a group format and its size."""

    tags: list[str]
    client: str | None = None
    format: str | None = None
    group_size: int | None = None


def read_tags(tags: list[str], pattern: re.Pattern) -> TagFields:
    """Watson's and Timewarrior's tags: a client code (by ``pattern``), ``group`` and ``group:N``
    become fields; the rest stay tags."""
    found = TagFields([])
    for tag in tags:
        group = GROUP_TAG.fullmatch(tag.strip())
        if group:
            found.format = "group"
            if group[1]:
                found.group_size = int(group[1])
        elif found.client is None and pattern.fullmatch(tag.strip()):
            found.client = tag.strip().upper()
        else:
            found.tags.append(tag)
    return found
