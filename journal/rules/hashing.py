"""A frozen dataclass's hash, worked out once: rules and measures are dictionary keys on every period checked."""

from __future__ import annotations

from dataclasses import fields


def hash_once(self) -> int:
    """``__hash__`` for a frozen dataclass (``__hash__ = hash_once`` in its body): the hash that dataclass
    would give, kept in the instance the first time it is asked for."""
    try:
        return self.__dict__["_hash"]
    except KeyError:
        found = self.__dict__["_hash"] = hash(tuple(getattr(self, f.name) for f in fields(self)))
        return found
