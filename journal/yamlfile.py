"""Reading a YAML data file (a profile, a deck of cards, the emotion vocabulary) with one-line errors."""

from __future__ import annotations

from pathlib import Path

from journal.errors import JournalError
from journal.i18n import _


def read_yaml(path: Path) -> object:
    """The data in the YAML file at ``path``; a file that cannot be used is a :class:`JournalError`
    naming the file and, for bad YAML, the line."""
    import yaml

    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise JournalError(_("{name}: cannot be read ({strerror})").format(name=name, strerror=exc.strerror), _("check the path")) from None
    except UnicodeDecodeError:
        raise JournalError(_("{name}: is not UTF-8 text").format(name=name), _("save it as UTF-8")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or _("invalid YAML")  # PyYAML's own words stay in English
        message = (_("{name}: not valid YAML at line {line} ({problem})").format(name=name, line=mark.line + 1,
                                                                                 problem=problem) if mark
                   else _("{name}: not valid YAML ({problem})").format(name=name, problem=problem))
        raise JournalError(message, _("check the indentation and quoting")) from None
