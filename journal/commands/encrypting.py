"""Encryption at rest: `journal db encrypt|decrypt`, `journal unlock` and `journal lock`."""

from __future__ import annotations

from pathlib import Path

import click

from journal.context import AppContext, pass_app
from journal.errors import JournalError

NO_KEYRING = "no usable system keyring here, so the key is not kept: commands ask for the passphrase " \
             "(scripts set $JOURNAL_PASSPHRASE or pass --passphrase-stdin)"


def plain_copies(path: Path) -> list[Path]:
    """Unencrypted backups of the journal lying beside it."""
    from journal.encryption import is_encrypted

    return sorted(p for p in path.parent.glob(f"{path.name}.*.bak") if not is_encrypted(p))


def say_kept(remembered: bool) -> None:
    click.echo("The key is kept in your system keyring; `journal lock` forgets it." if remembered
               else f"Note: {NO_KEYRING}.", err=True)


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
        raise JournalError(f"{app.db_path} is already encrypted", "`journal db status` shows it")
    journal = app.journal  # opened (and upgraded) first: it must be a working journal
    key = new_key(app.passphrase(new=True))
    backup = encrypt_journal(journal, key)
    app.forget_journal()
    click.echo(f"Encrypted {app.db_path}.", err=True)
    say_kept(remember_key(app.db_path, key))
    copies = plain_copies(app.db_path)
    click.echo(f"Unencrypted copies remain beside it ({backup.name} is the journal as it was): "
               + ", ".join(str(p) for p in copies)
               + ". Delete them (e.g. shred -u FILE) once you have checked the encrypted journal.", err=True)


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
        raise JournalError(f"{app.db_path} is not encrypted", "`journal db encrypt` encrypts it")
    backup = encrypt_journal(app.journal, None)
    app.forget_journal()
    forget_key(app.db_path)
    click.echo(f"Decrypted {app.db_path}; it is protected by its file permissions only.", err=True)
    click.echo(f"The encrypted journal as it was is kept in {backup}.", err=True)


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
    from journal.unlocking import keyring_backend, stored_key

    if keyring_backend() is None:
        raise JournalError(f"{NO_KEYRING}; nothing was stored")
    if app.key is None:  # asks for the passphrase unless the keyring already holds a working key
        raise JournalError(f"{app.db_path} is not encrypted", "`journal db encrypt` encrypts it")
    click.echo(f"Unlocked {app.db_path}" + ("" if stored_key(app.db_path) else " (the keyring refused the key)"),
               err=True)


@click.command()
@pass_app
def lock(app: AppContext) -> None:
    """Forget the encrypted journal's key kept in your system keyring: the next command asks again.

    \b
    Example:
      journal lock
    """
    from journal.unlocking import forget_key, keyring_backend

    if keyring_backend() is None:
        click.echo(f"Nothing to forget: {NO_KEYRING}.", err=True)
    elif forget_key(app.db_path):
        click.echo(f"Locked {app.db_path}: its key was removed from the keyring.", err=True)
    else:
        click.echo(f"{app.db_path} was already locked (no key kept for it).", err=True)
