"""Keeping an encrypted journal's key in the system keyring, so that it is typed once.

A keyring is used when one is really there: an operating-system keyring that ``keyring`` finds
by itself (Secret Service, KWallet, macOS Keychain, Windows Credential Locker), or a backend
the user chose explicitly with ``$PYTHON_KEYRING_BACKEND`` or keyring's configuration file.
A fallback that keyring would pick only for want of anything better (such as a plain-text
file) is not trusted with the key unless so chosen. Without a keyring nothing is stored and
the passphrase comes from the terminal, ``$JOURNAL_PASSPHRASE`` or ``--passphrase-stdin``.

A key the keyring holds is also copied for a while into the Linux kernel's keyring
(:mod:`journal.keycache`), so that commands in a row do not each pay for loading ``keyring``.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal import keycache
from journal.encryption import CipherKey

SERVICE = "practice-journal"
PASSPHRASE_VARIABLE = "JOURNAL_PASSPHRASE"
TRUSTED_PRIORITY = 1  # keyring's own backends for real OS keyrings rank 1 or more; its fallbacks below


def keyring_backend():
    """The usable keyring backend, or ``None``."""
    try:
        import keyring.core
    except ImportError:
        return None
    try:
        chosen = keyring.core.load_env() or keyring.core.load_config()
        if chosen is not None:
            return chosen if chosen.priority > 0 else None  # keyring's "fail" backend means "none"
        found = keyring.core.get_keyring()
        return found if found.priority >= TRUSTED_PRIORITY else None
    except Exception:  # a backend that cannot run here (no D-Bus, a broken configuration)
        return None


def _account(path: Path) -> str:
    return str(Path(path).resolve())


def stored_key(path: Path) -> CipherKey | None:
    """The key kept for the journal at ``path``, if any: the kernel's copy, else the keyring's (then copied)."""
    cached = keycache.read(path)
    if cached is not None:
        return CipherKey.from_text(cached)
    key = keyring_key(path)
    if key is not None:
        keycache.keep(path, key.to_text())
    return key


def keyring_key(path: Path) -> CipherKey | None:
    """The key the system keyring holds for the journal at ``path``, if any."""
    backend = keyring_backend()
    if backend is None:
        return None
    from keyring.errors import KeyringError

    try:
        text = backend.get_password(SERVICE, _account(path))
    except KeyringError:
        return None
    return CipherKey.from_text(text) if text else None


def remember_key(path: Path, key: CipherKey) -> bool:
    """Keep ``key`` for the journal at ``path``; whether a keyring took it."""
    backend = keyring_backend()
    if backend is None:
        return False
    from keyring.errors import KeyringError

    try:
        backend.set_password(SERVICE, _account(path), key.to_text())
    except KeyringError:
        return False
    keycache.keep(path, key.to_text())
    return True


def forget_key(path: Path) -> bool:
    """Remove the key kept for the journal at ``path`` (the keyring's and the kernel's copy); whether there was one."""
    cached = keycache.drop(path)
    backend = keyring_backend()
    if backend is None:
        return cached
    from keyring.errors import KeyringError

    try:
        backend.delete_password(SERVICE, _account(path))
    except KeyringError:  # PasswordDeleteError when nothing was kept
        return cached
    return True


def passphrase_from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_VARIABLE) or None
