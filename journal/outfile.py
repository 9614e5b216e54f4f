"""Writing a file the user named with --out: its format from its extension, never over an
existing file unless asked, never through a symbolic link, and never half-written.

The file is written beside its destination (0600) and renamed into place; a rename replaces
a link placed there meanwhile instead of following it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from journal.errors import InputError, JournalError
from journal.i18n import _

# Called with the path of an existing file; True means "replace it".
ConfirmReplace = Callable[[Path], bool]


def format_for(path: Path, extensions: dict[str, tuple[str, ...]], given: str | None = None,
               default: str | None = None) -> str:
    """The format to write ``path`` in: ``given`` if its extension agrees, else the one its
    extension names; a file without an extension takes ``given`` or ``default``."""
    suffix = path.suffix.lower()
    wanted = _(" or ").join(dict.fromkeys(ext for exts in extensions.values() for ext in exts))
    if given is not None:
        if suffix and suffix not in extensions[given]:
            raise InputError(
                _("{name} ends in {suffix}, but --format {format} writes {extensions}").format(
                    name=path.name, suffix=suffix, format=given, extensions=_(" or ").join(extensions[given])),
                _("name it {name}, or drop --format to write what {suffix} says").format(
                    name=f"{path.stem}{extensions[given][0]}", suffix=suffix),
            )
        return given
    for name, exts in extensions.items():
        if suffix in exts:
            return name
    if not suffix and default is not None:
        return default
    raise InputError(_("cannot tell the format of {name} from its extension").format(name=path.name),
                     _("end the name in {extensions}").format(extensions=wanted))


def check_target(path: Path, *, force: bool = False, confirm: ConfirmReplace | None = None) -> None:
    """Refuse a symbolic link at ``path``, and an existing file unless ``force`` or ``confirm`` agrees."""
    if path.is_symlink():
        raise JournalError(_("{path} is a symbolic link; nothing was written").format(path=path),
                           _("give the path of a real file (links are never followed)"))
    if path.is_dir():
        raise JournalError(_("{path} is a folder; nothing was written").format(path=path),
                           _("give a file name inside it"))
    if path.exists() and not force and not (confirm is not None and confirm(path)):
        raise JournalError(_("{path} already exists; nothing was written").format(path=path),
                           _("add --force to replace it"))


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A private temporary path beside ``path``, renamed onto it when the block succeeds."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)  # 0600
    os.close(fd)
    try:
        yield Path(temp)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole (readable by you only), or leave ``path`` as it was."""
    with replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")
