"""Requirement profiles and the engine that checks a journal against them.

>>> check_profiles(journal, ["bacp-practice"], as_of=date(2026, 3, 31))  # doctest: +SKIP
[{"profile": "bacp-practice", "as_of": "2026-03-31", "met": False, "rules": [...]}]
"""

from __future__ import annotations

from datetime import date, datetime

from journal.db import Journal
from journal.errors import InputError
from journal.i18n import _


def configured_profiles(journal: Journal) -> list[str]:
    """The journal's ``profiles`` setting as a list of ids or paths."""
    from journal.settings import get_setting

    return [p.strip() for p in (get_setting(journal, "profiles") or "").split(",") if p.strip()]


def today(journal: Journal) -> date:
    """Today's date in the journal's time zone."""
    from journal.zones import local_zone_name, zone
    from journal.settings import get_setting

    return datetime.now(zone(local_zone_name(get_setting(journal, "timezone")))).date()


def check_profiles(journal: Journal, profile_ids: list[str] | None = None, as_of: date | None = None,
                   since: date | None = None) -> list[dict]:
    """Check the journal against profiles (ids or file paths; default: the ``profiles`` setting).

    Returns one report per profile in the shape of ``journal check --json``: each rule's figures,
    its ``status`` (met, due or not met) and its plain-language ``summary`` and ``details`` (what
    is due by when, what would meet it, what did not count and why). `journal check`, the printed
    statement and the supervisor report all show these.
    """
    from journal.rules.engine import evaluate
    from journal.settings import all_settings

    profiles, as_of = _profiles_and_date(journal, profile_ids, as_of, since)
    return evaluate(journal, profiles, as_of, since, all_settings(journal))


def explain_rule(journal: Journal, rule_ref: str, profile_ids: list[str] | None = None,
                 as_of: date | None = None, since: date | None = None) -> dict:
    """Every session that rule ``rule_ref`` (``RULE`` or ``PROFILE:RULE``) looked at, with what it credited
    and why not (see :mod:`journal.rules.explain`)."""
    from journal.rules.explain import explain, find_rule
    from journal.settings import all_settings

    profiles, as_of = _profiles_and_date(journal, profile_ids, as_of, since)
    profile, rule = find_rule(profiles, rule_ref, as_of)
    return explain(journal, profile, rule, as_of, since, all_settings(journal))


def _profiles_and_date(journal: Journal, profile_ids: list[str] | None, as_of: date | None,
                       since: date | None) -> tuple[list, date]:
    from journal.rules.profiles import load_profile

    refs = list(profile_ids) if profile_ids else configured_profiles(journal)
    if not refs:
        raise InputError(_("no profile to check"),
                         _("pass --profile ID (see `journal profiles`) or set yours with "
                           "`journal config profiles ID`"))
    profiles = [load_profile(ref) for ref in dict.fromkeys(refs)]
    as_of = as_of or today(journal)
    if since is not None and since > as_of:
        raise InputError(_("--since {since} is after --as-of {as_of}").format(since=since, as_of=as_of),
                         _("give an earlier --since"))
    return profiles, as_of
