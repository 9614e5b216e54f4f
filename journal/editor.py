"""Writing in the user's editor on a temp file that no one else can read and that never stays.

The file lives in a fresh 0700 folder (in ``$XDG_RUNTIME_DIR`` when there is one, a memory-backed
folder on most Linux systems, else the system temp folder) and the folder is removed when the
editor returns, fails, cannot be started, or when the journal is told to stop (SIGTERM, SIGHUP).
While the editor runs, Ctrl-C belongs to the editor. Only SIGKILL can leave the folder behind.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from journal.errors import JournalError
from journal.i18n import _

FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vi")
_NO_EDITOR_HINT = "set $EDITOR (e.g. export EDITOR=nano), or pass the text with -m"


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else the first of the usual editors that is installed."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for name in FALLBACK_EDITORS:
        if shutil.which(name):
            return [name]
    raise JournalError(_("no text editor found"), _NO_EDITOR_HINT)


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A new 0700 folder, removed with everything in it however the block ends."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    parent = runtime if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="journal-", dir=parent))  # mkdtemp makes it 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise JournalError (so clean-up runs); SIGINT and SIGQUIT go to the editor."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise JournalError(
            _("stopped by signal {name} while the editor was open").format(name=signal.Signals(signum).name),
            _("nothing was written; run the command again"),
        )

    def leave_to_editor(signum, frame):
        pass  # a handler, not SIG_IGN, so that the editor starts with the default behaviour

    wanted = {signal.SIGTERM: stop, signal.SIGHUP: stop, signal.SIGINT: leave_to_editor,
              signal.SIGQUIT: leave_to_editor}
    previous = {signum: signal.signal(signum, handler) for signum, handler in wanted.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def edit_text(initial: str, filename: str = "entry.md") -> str:
    """Open the editor on ``initial`` and return the text saved; the file never outlives the call."""
    command = editor_command()
    with private_folder() as folder:
        path = folder / filename
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        with _stop_signals_raise():
            try:
                status = subprocess.run([*command, str(path)]).returncode
            except FileNotFoundError:
                raise JournalError(_("the editor {value!r} is not installed").format(value=command[0]), _NO_EDITOR_HINT) from None
        if status != 0:
            raise editor_failure(command[0], status)
        return path.read_text(encoding="utf-8")


def editor_failure(editor: str, status: int) -> JournalError:
    """What to say when the editor did not exit normally: interrupted, killed, or failed."""
    # A negative status is the signal that killed it; 128 + N is how shells report signal N.
    signum = -status if status < 0 else status - 128 if status > 128 else None
    if signum == signal.SIGINT:
        return JournalError(_("the editor {editor!r} was interrupted (Ctrl-C), so nothing was saved").format(
            editor=editor), _("run the command again, and save and quit the editor to keep your text"))
    if signum in set(signal.Signals):
        return JournalError(_("the editor {editor!r} was stopped ({signal}), so nothing was saved").format(
            editor=editor, signal=signal.Signals(signum).name),
            _("run the command again, and save and quit the editor to keep your text"))
    return JournalError(_("the editor {editor!r} exited with status {status}, so nothing was saved").format(
        editor=editor, status=status), _("save and quit normally to keep your text"))
