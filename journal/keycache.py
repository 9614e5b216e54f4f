"""A short-lived copy of an unlocked journal's key in the Linux kernel's keyring, in front of the system keyring.

Reading the system keyring costs every command about 50 ms before it asks anything: the
``keyring`` package and what it imports (``urllib.request``, ``http.client``, ``email``, ``ssl``,
``importlib_metadata``), then its backend (D-Bus for the Secret Service). The kernel's key retention
service (keyrings(7), through libkeyutils) answers in well under a millisecond. So once a key has
come from the system keyring (or been stored there), a copy is kept in the user's kernel keyring;
each use keeps it another :data:`KEPT_FOR` seconds, after which the next command reads the system
keyring again. ``journal lock`` removes both.

The copy lives in kernel memory (never swapped, gone at reboot), readable by the user's own
processes only, as the system keyring's items are. Where there is no such service (macOS, Windows,
a sandbox that forbids keyrings, no libkeyutils) nothing is cached and the system keyring is read.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

KEPT_FOR = 15 * 60  # seconds without use before the kernel's copy expires
KEY_TYPE = b"user"
USER_KEYRING = -4  # KEY_SPEC_USER_KEYRING: the user's own keyring, shared by their sessions
OWNER_ONLY = 0x3F3F0000  # KEY_POS_ALL | KEY_USR_ALL: the user's processes, nobody else's
PREFIX = "practice-journal:"

_library: ctypes.CDLL | None | bool = False  # False: not loaded yet; None: not available


def _keyutils() -> ctypes.CDLL | None:
    """libkeyutils with its signatures declared, or ``None`` off Linux or without the library."""
    global _library
    if _library is False:
        _library = None
        if sys.platform.startswith("linux"):
            try:
                lib = ctypes.CDLL("libkeyutils.so.1", use_errno=True)
            except OSError:
                return None
            serial, text = ctypes.c_int32, ctypes.c_char_p
            lib.add_key.argtypes = [text, text, ctypes.c_void_p, ctypes.c_size_t, serial]
            lib.add_key.restype = serial
            lib.keyctl_search.argtypes = [serial, text, text, serial]
            lib.keyctl_search.restype = ctypes.c_long
            lib.keyctl_read_alloc.argtypes = [serial, ctypes.POINTER(ctypes.c_void_p)]
            lib.keyctl_read_alloc.restype = ctypes.c_long
            for name in ("keyctl_setperm", "keyctl_set_timeout"):
                getattr(lib, name).argtypes = [serial, ctypes.c_uint32]
                getattr(lib, name).restype = ctypes.c_long
            lib.keyctl_invalidate.argtypes = [serial]
            lib.keyctl_invalidate.restype = ctypes.c_long
            _library = lib
    return _library


def _description(path: Path) -> bytes:
    return (PREFIX + str(Path(path).resolve())).encode("utf-8", "surrogateescape")


def _find(lib: ctypes.CDLL, path: Path) -> int | None:
    serial = lib.keyctl_search(USER_KEYRING, KEY_TYPE, _description(path), 0)
    return serial if serial > 0 else None


def read(path: Path) -> str | None:
    """The copy kept for the journal at ``path`` (kept for another :data:`KEPT_FOR` seconds), if any."""
    lib = _keyutils()
    serial = _find(lib, path) if lib is not None else None
    if serial is None:
        return None
    buffer = ctypes.c_void_p()
    size = lib.keyctl_read_alloc(serial, ctypes.byref(buffer))
    if size < 0 or not buffer.value:
        return None
    try:
        text = ctypes.string_at(buffer, size).decode("ascii", "replace")
    finally:
        ctypes.CDLL(None).free(buffer)
    lib.keyctl_set_timeout(serial, KEPT_FOR)
    return text


def keep(path: Path, text: str) -> bool:
    """Keep ``text`` (a key, as text) for the journal at ``path``; whether the kernel took it."""
    lib = _keyutils()
    if lib is None:
        return False
    payload = text.encode("ascii")
    serial = lib.add_key(KEY_TYPE, _description(path), payload, len(payload), USER_KEYRING)
    if serial <= 0:
        return False
    if lib.keyctl_setperm(serial, OWNER_ONLY) < 0 or lib.keyctl_set_timeout(serial, KEPT_FOR) < 0:
        lib.keyctl_invalidate(serial)
        return False
    return True


def drop(path: Path) -> bool:
    """Remove the copy kept for the journal at ``path``; whether there was one."""
    lib = _keyutils()
    serial = _find(lib, path) if lib is not None else None
    return serial is not None and lib.keyctl_invalidate(serial) == 0
