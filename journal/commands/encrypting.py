"""Encryption at rest: `journal db encrypt|decrypt`, `journal unlock` and `journal lock`."""

from __future__ import annotations

from pathlib import Path

import click

from journal.context import AppContext, missing_journal_error, pass_app
from journal.errors import JournalError
from journal.i18n import _


def no_keyring() -> str:
    return _("no usable system keyring here, so the key is not kept: commands ask for the passphrase "
             "(scripts set $JOURNAL_PASSPHRASE or pass --passphrase-stdin)")


def plain_copies(path: Path) -> list[Path]:
    """Unencrypted backups of the journal lying beside it."""
    from journal.paths import is_encrypted

    return sorted(p for p in path.parent.glob(f"{path.name}.*.bak") if not is_encrypted(p))


def say_kept(remembered: bool) -> None:
    click.echo(_("The key is kept in your system keyring; `journal lock` forgets it.") if remembered
               else _("Note: {reason}.").format(reason=no_keyring()), err=True)


@click.command()
@pass_app
def encrypt(app: AppContext) -> None:
    """Encrypt the journal in place with a passphrase (SQLCipher, AES-256); a plain backup is taken first.

    The passphrase is asked twice on a terminal; scripts set $JOURNAL_PASSPHRASE or pass
    --passphrase-stdin. Interrupted at any moment, the journal is left as it was or fully
    encrypted. Search, rules, import, export and publish all work on the encrypted journal.

    \b
    Examples:
      journal db encrypt
      printf '%s\\n' "$PASS" | journal --passphrase-stdin db encrypt
    """
    from journal.encryption import encrypt_journal, new_key
    from journal.unlocking import remember_key

    if app.key is not None:
        raise JournalError(_("{path} is already encrypted").format(path=app.db_path),
                           _("`journal db status` shows it"))
    journal = app.journal  # opened (and upgraded) first: it must be a working journal
    key = new_key(app.passphrase(new=True))
    backup = encrypt_journal(journal, key)
    app.forget_journal()
    click.echo(_("Encrypted {path}.").format(path=app.db_path), err=True)
    say_kept(remember_key(app.db_path, key))
    copies = plain_copies(app.db_path)
    click.echo(_("Unencrypted copies remain beside it ({backup} is the journal as it was): {copies}. Delete them "
                 "(e.g. shred -u FILE) once you have checked the encrypted journal.").format(
        backup=backup.name, copies=", ".join(str(p) for p in copies)), err=True)


@click.command()
@pass_app
def decrypt(app: AppContext) -> None:
    """Turn an encrypted journal back into a plain SQLite file, in place; an encrypted backup is taken first.

    \b
    Example:
      journal db decrypt
    """
    from journal.encryption import encrypt_journal
    from journal.unlocking import forget_key

    if app.key is None:
        raise not_encrypted(app.db_path)
    backup = encrypt_journal(app.journal, None)
    app.forget_journal()
    forget_key(app.db_path)
    click.echo(_("Decrypted {path}; it is protected by its file permissions only.").format(path=app.db_path),
               err=True)
    click.echo(_("The encrypted journal as it was is kept in {backup}.").format(backup=backup), err=True)


@click.command()
@pass_app
def unlock(app: AppContext) -> None:
    """Check the passphrase of an encrypted journal and keep its key in your system keyring.

    Later commands then open the journal without asking. Any command asks when it needs to;
    this one only unlocks.

    \b
    Examples:
      journal unlock
      journal lock
    """
    from journal.unlocking import keyring_backend, keyring_key, remember_key

    if keyring_backend() is None:
        raise JournalError(_("{reason}; nothing was stored").format(reason=no_keyring()))
    if app.key is None:  # asks for the passphrase unless the keyring already holds a working key
        raise not_encrypted(app.db_path)
    kept = keyring_key(app.db_path) == app.key or remember_key(app.db_path, app.key)
    done = _("Unlocked {path}") if kept else _("Unlocked {path} (the keyring refused the key)")
    click.echo(done.format(path=app.db_path), err=True)


@click.command()
@pass_app
def lock(app: AppContext) -> None:
    """Forget the encrypted journal's key kept in your system keyring: the next command asks again.

    \b
    Example:
      journal lock
    """
    from journal.paths import is_encrypted
    from journal.unlocking import forget_key, keyring_backend

    if forget_key(app.db_path):
        click.echo(_("Locked {path}: its key was removed from the keyring.").format(path=app.db_path), err=True)
    elif not app.db_path.exists():
        raise missing_journal_error(app.db_path)
    elif not is_encrypted(app.db_path):
        click.echo(_("{path} is not encrypted: there is no key to forget.").format(path=app.db_path), err=True)
    elif keyring_backend() is None:
        click.echo(_("Nothing to forget: {reason}.").format(reason=no_keyring()), err=True)
    else:
        click.echo(_("{path} was already locked (no key kept for it).").format(path=app.db_path), err=True)


def not_encrypted(path: Path) -> JournalError:
    return JournalError(_("{path} is not encrypted").format(path=path), _("`journal db encrypt` encrypts it"))
