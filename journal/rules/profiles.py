"""Requirement profiles: one YAML file per profile, loaded and validated into named tuples.

A profile names its source and the date its figures were checked, and lists rules. Each rule
has a ``type`` (see :data:`RULE_FIELDS`) and says which sessions it counts with ``kind``,
``format``, ``paid``, ``tag``, ``credit`` and ``measure``. A broken file is refused with one
line naming the file, the rule and the field.

The shipped profiles' YAML files are the source; ``shipped.json`` beside them holds the same
data, built by ``python -m journal.rules.compile_profiles``, so that checking with them never
imports PyYAML (about 15 ms of start-up). Only a user's own file is read as YAML.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple, NoReturn

from journal.errors import InputError, JournalError
from journal.i18n import N_, _
from journal.kinds import SESSION_KINDS
from journal.yamlfile import read_yaml as _read_yaml

PROFILE_DIR = Path(__file__).resolve().parent.parent / "profiles"
SHIPPED_JSON = PROFILE_DIR / "shipped.json"
SHIPPED = (
    "bacp-practice", "bacp-accreditation", "bacp-student", "ukcp-trainee-therapy", "ukcp-cpd",
    "eap-ecp", "icf-acc", "icf-pcc", "icf-mcc", "icf-mentor", "emdr-europe", "tx-lpc", "ca-lpcc",
    "oh-counselor", "va-lpc", "ukcp-trainee-practice", "appic-aapi", "ecp-ff2p", "crpo-independent",
)
PERIODS = ("month", "week", "twelve-months", "five-years")
WEEKLY_COUNTS = ("experience", "direct", "weeks")
CREDITS = ("none", "bacp-group", "clock-hour")
MEASURES = ("hours", "sessions")
SETTING_DATES = ("qualified_on", "training_start")
WINDOW_UNITS = ("years", "months", "weeks", "days")

_COUNTING = {"kind", "format", "paid", "tag", "credit", "measure", "max_group", "individual_up_to",
             "exclude_peer"}
_START = {"window", "after", "from"}
# type -> (required fields, optional fields) beyond id, title, type and description.
RULE_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "total": (set(), _COUNTING | _START | {"min", "also", "except_tag", "max_per", "per", "of", "part", "max_part",
                                           "only_in_met"}),
    "per_period": ({"min", "period"}, _COUNTING | {"periods", "while", "anchor", "window", "min_window", "also"}),
    "ratio": ({"min", "per", "of"}, _COUNTING | _START | {"whole_blocks"}),
    "max_gap": ({"max_days"}, {"kind", "format", "tag", "while", "exclude_peer", "max_group"}),
    "span": ({"min_months"}, {"kind", "format", "paid", "tag", "max_months"}),
    "clients": ({"min"}, _COUNTING | _START | {"group_members"}),
    "share": ({"max", "part"}, {"kind", "credit", "individual_up_to"}),
    "weekly_units": ({"min"}, {"kind", "credit", "supervision", "unit_hours", "extra_unit_over", "min_units",
                               "individual_up_to", "counts", "non_clinical", "non_clinical_max", "week_max",
                               "supervision_week_max", "window", "max_group", "exclude_peer"}),
}
# Rule fields whose name in a profile file differs.
YAML_NAMES = {"while_kind": "while", "from_setting": "from", "supervision_kind": "supervision", "part_format": "part"}
# Each number a rule may give, and whether it must be whole.
NUMBERS = {
    "min": False, "max": False, "per": False, "max_per": False, "max_part": False, "non_clinical_max": False,
    "week_max": False, "supervision_week_max": False, "extra_unit_over": False, "min_units": False,
    "periods": True, "max_days": True, "min_months": True, "max_months": True, "group_members": True,
    "max_group": True, "individual_up_to": True,
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class _RuleFields(NamedTuple):
    """A rule's fields. Named tuples rather than frozen dataclasses for the profiles: `journal check`
    defines these classes at every start, and a dataclass of this size costs about 2 ms to define."""

    id: str
    title: str
    type: str
    kind: tuple[str, ...] = ("practice",)
    format: str | None = None  # "individual" or "group"
    paid: bool | None = None
    tag: str | None = None
    credit: str = "none"
    measure: str = "hours"
    min: float | None = None
    max: float | None = None
    period: str | None = None
    periods: int | None = None
    while_kind: str | None = None
    window: tuple[tuple[str, int], ...] = ()
    after: str | None = None  # count from the day after this setting's date
    from_setting: str | None = None  # count from this setting's date, that day included
    anchor: str | None = None  # the setting whose date starts twelve-month and five-year periods
    min_window: tuple[tuple[str, int], ...] = ()
    per: float | None = None
    of: tuple[str, ...] = ()
    max_days: int | None = None
    min_months: int | None = None
    max_months: int | None = None
    max_group: int | None = None
    individual_up_to: int | None = None
    exclude_peer: bool = False
    also: tuple[tuple[tuple[str, ...], str | None], ...] = ()  # more (kinds, tag) that this rule counts
    max_per: float | None = None
    max_part: float | None = None
    only_in_met: str | None = None
    whole_blocks: bool = True
    except_tag: str | None = None
    counts: str = "experience"
    non_clinical: tuple[str, ...] = ()
    non_clinical_max: float | None = None
    week_max: float | None = None
    supervision_week_max: float | None = None
    group_members: int | None = None
    part_format: str | None = None
    supervision_kind: str = "supervision"
    unit_hours: tuple[float, float] = (1.0, 2.0)  # (individual, group) hours per unit
    extra_unit_over: float | None = None
    min_units: float = 1.0
    description: str | None = None


class Rule(_RuleFields):
    """One rule of a profile, already validated. Its hash is worked out once: rules are the keys of
    the engine's caches, asked for on every period checked."""

    def __hash__(self) -> int:
        try:
            return self.__dict__["_hash"]
        except KeyError:
            found = self.__dict__["_hash"] = tuple.__hash__(self)
            return found

    def __reduce__(self):
        """Copied or pickled without the hash kept in the instance (a string's hash differs between
        processes)."""
        return Rule, tuple(self)

    def fields(self, *, exact: bool = False) -> dict:
        """The rule's fields that differ from the defaults; with ``exact``, also those equal to it in
        another type (``min_units: 1`` for 1.0), so that the rule reads back as it was."""
        defaults = self._field_defaults
        return {name: value for name, value in zip(self._fields, self)
                if name not in defaults or value != defaults[name]
                or (exact and type(value) is not type(defaults[name]))}

    def figures(self) -> dict:
        """The same, named as in a profile file (what `journal profiles --json` shows)."""
        return {YAML_NAMES.get(name, name): value for name, value in self.fields().items()}


class Version(NamedTuple):
    """A later version of a profile's rules, in force from ``effective_from`` (ISO date)."""

    effective_from: str
    description: str
    rules: tuple[Rule, ...]


class Profile(NamedTuple):
    """A requirement profile: where its figures come from, when they were checked, its rules.

    ``rules`` are in force until the first of ``versions`` (if any) takes effect.
    """

    id: str
    title: str
    description: str
    source: str
    checked: str
    rules: tuple[Rule, ...] = ()
    path: str | None = None
    versions: tuple[Version, ...] = ()

    def rules_at(self, day: date) -> tuple[Rule, ...]:
        """The rules in force on ``day``."""
        found = self.rules
        for version in self.versions:
            if version.effective_from <= day.isoformat():
                found = version.rules
        return found

    def all_rules(self) -> list[Rule]:
        return [*self.rules, *(rule for version in self.versions for rule in version.rules)]

    def summary(self) -> dict:
        """The row `journal profiles` prints; ``versions`` lists each version's rules and figures."""
        first = {"effective_from": None, "description": self.description,
                 "rules": [rule.figures() for rule in self.rules]}
        later = [{"effective_from": v.effective_from, "description": v.description,
                  "rules": [rule.figures() for rule in v.rules]} for v in self.versions]
        return {"id": self.id, "title": self.title, "description": self.description,
                "source": self.source, "checked": self.checked, "versions": [first, *later]}


class ProfileError(JournalError):
    """A profile file that cannot be used (exit 1, like any bad file)."""


def shipped_profiles() -> list[Profile]:
    return [load_profile(profile_id) for profile_id in SHIPPED]


def load_profile(ref: str) -> Profile:
    """A shipped profile by id, or a profile file by path."""
    if ref in SHIPPED:
        return _compiled_profile(_shipped_data()[ref], str(PROFILE_DIR / f"{ref}.yml"))
    path = Path(ref).expanduser()
    if path.is_file():
        return load_file(path)
    if path.suffix in (".yml", ".yaml") or "/" in ref:
        raise InputError(_("no profile file at {path}").format(path=ref), _("check the path, or pass a profile id"))
    from difflib import get_close_matches

    close = get_close_matches(ref, SHIPPED, n=1)
    hint = (_("did you mean {profile}?").format(profile=close[0]) if close
            else _("`journal profiles` lists them, e.g. bacp-practice"))
    raise InputError(_("unknown profile {ref!r}").format(ref=ref), hint)


@cache
def _shipped_data() -> dict[str, object]:
    return json.loads(SHIPPED_JSON.read_text(encoding="utf-8"))


def shipped_json() -> str:
    """The text of ``shipped.json``: each shipped profile as its YAML file parses and validates, by id
    (each rule's fields that differ from the defaults; the path is left out, it is the installed file's)."""
    data = {}
    for ref in SHIPPED:
        profile = load_file(PROFILE_DIR / f"{ref}.yml")._asdict()
        profile.pop("path")
        profile["rules"] = [rule.fields(exact=True) for rule in profile["rules"]]
        profile["versions"] = [dict(version._asdict(), rules=[rule.fields(exact=True) for rule in version.rules])
                               for version in profile["versions"]]
        data[ref] = profile
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _compiled_profile(data: dict, path: str) -> Profile:
    """A shipped profile from ``shipped.json``, validated when it was written: built without checking
    again (a rule's lists are its tuples)."""
    def rules(raw: list[dict]) -> tuple[Rule, ...]:
        return tuple(Rule(**{key: _tuples(value) for key, value in rule.items()}) for rule in raw)

    return Profile(**dict(data, rules=rules(data["rules"]), path=path,
                          versions=tuple(Version(v["effective_from"], v["description"], rules(v["rules"]))
                                         for v in data["versions"])))


def _tuples(value):
    """JSON's lists as the tuples they were (recursively)."""
    return tuple(_tuples(item) for item in value) if type(value) is list else value


def load_file(path: Path) -> Profile:
    return parse_profile(_read_yaml(path), path.name, str(path))


def parse_profile(data: object, name: str, path: str | None = None) -> Profile:
    """Validate the loaded YAML of one profile file."""
    if not isinstance(data, dict):
        raise ProfileError(_("{name}: a profile is a mapping with id, title, source, checked and rules").format(name=name),
                           _("see `journal profiles` and the README for an example"))
    where = _Where(name, None)
    unknown = set(data) - {"id", "title", "description", "source", "checked", "rules", "versions"}
    if unknown:
        where.fail(sorted(unknown)[0], _("is not a profile field"),
                   _("use id, title, description, source, checked, rules, versions"))
    profile_id = _text(where, data, "id")
    if not _SLUG.match(profile_id):
        where.fail("id", _("{value!r} is not a short slug").format(value=profile_id),
                   _("use lower-case letters, digits and '-'"))
    checked = _date(where, data, "checked", N_("must be the date the rules were checked against the source"),
                    N_("e.g. checked: 2026-11-01"))
    parsed = _rules(name, where, data.get("rules"))
    versions = data.get("versions") or []
    if not isinstance(versions, list):
        where.fail("versions", _("must be a list of {effective_from, description, rules}"),
                   _("see the README for an example"))
    later = []
    for raw in versions:
        if not isinstance(raw, dict) or set(raw) - {"effective_from", "description", "rules"}:
            where.fail("versions", _("entries hold effective_from, description and rules"),
                       _("e.g. - effective_from: 2025-12-18"))
        start = _date(where, raw, "effective_from", N_("must be the date the version takes effect"),
                      N_("e.g. effective_from: 2025-12-18")).isoformat()
        if later and start <= later[-1].effective_from:
            where.fail("versions", _("must be in order of effective_from"), _("list the oldest first"))
        later.append(Version(start, _text(where, raw, "description", required=False) or "",
                             _rules(name, where, raw.get("rules"))))
    return Profile(
        id=profile_id,
        title=_text(where, data, "title"),
        description=_text(where, data, "description", required=False) or "",
        source=_text(where, data, "source"),
        checked=checked.isoformat(),
        rules=parsed,
        path=path,
        versions=tuple(later),
    )


def _date(where: _Where, data: dict, key: str, problem: str, hint: str) -> date:
    """The date at ``key``; else the file is refused with ``problem`` and ``hint`` (marked with N_,
    translated only then)."""
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        where.fail(key, _(problem), _(hint))
    return value


def _rules(name: str, where: _Where, rules: object) -> tuple[Rule, ...]:
    if not isinstance(rules, list) or not rules:
        where.fail("rules", _("must be a non-empty list of rules"), _("see the README for an example"))
    parsed = tuple(_rule(name, index, raw) for index, raw in enumerate(rules, 1))
    seen: set[str] = set()
    for rule in parsed:
        if rule.id in seen:
            _Where(name, rule.id).fail("id", _("is used by two rules"), _("give each rule its own id"))
        seen.add(rule.id)
    for rule in parsed:
        if rule.only_in_met and rule.only_in_met not in seen:
            _Where(name, rule.id).fail(
                "only_in_met", _("names no rule of this profile ({value!r})").format(value=rule.only_in_met),
                _("give the id of a per_period rule"))
    return parsed


class _Where:
    """Where in a profile file a problem is: the file, and the rule if any."""

    __slots__ = ("file", "rule")

    def __init__(self, file: str, rule: str | None):
        self.file, self.rule = file, rule

    def fail(self, field_name: str, problem: str, hint: str) -> NoReturn:
        """Refuse the file: ``problem`` (what follows "field 'x'") and ``hint`` come translated."""
        if self.rule:
            message = _("{file}: rule {rule}: field '{field}' {problem}").format(
                file=self.file, rule=self.rule, field=field_name, problem=problem)
        else:
            message = _("{file}: field '{field}' {problem}").format(file=self.file, field=field_name, problem=problem)
        raise ProfileError(message, hint)


def _text(where: _Where, data: dict, key: str, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        where.fail(key, _("is missing or not text"), _("add {key}: ...").format(key=key))
    return " ".join(value.split())


def _number(where: _Where, data: dict, key: str, *, integer: bool = False) -> float | int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (
            integer and not isinstance(value, int)):
        problem = (_("must be a whole number of 0 or more, got {value!r}") if integer
                   else _("must be a number of 0 or more, got {value!r}"))
        where.fail(key, problem.format(value=value), _("e.g. {key}: 40").format(key=key))
    return value


def _kinds(where: _Where, data: dict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get(key, list(default))
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or any(v not in SESSION_KINDS for v in values):
        where.fail(key, _("must be one or more of {choices}, got {value!r}").format(
            choices=", ".join(SESSION_KINDS), value=value), _("e.g. {key}: supervision").format(key=key))
    return tuple(dict.fromkeys(values))


def _choice(where: _Where, data: dict, key: str, choices: tuple[str, ...], default=None):
    value = data.get(key, default)
    if value is not None and value not in choices:
        where.fail(key, _("must be one of {choices}, got {value!r}").format(choices=", ".join(choices), value=value),
                   _("e.g. {key}: {choice}").format(key=key, choice=choices[0]))
    return value


def _rule(file: str, index: int, raw: object) -> Rule:
    where = _Where(file, f"#{index}")
    if not isinstance(raw, dict):
        where.fail("rules", _("entries must be mappings"), _("start each rule with '- id: ...'"))
    rule_id = raw.get("id")
    if isinstance(rule_id, str) and _SLUG.match(rule_id):
        where = _Where(file, rule_id)
    else:
        where.fail("id", _("must be a short slug, got {value!r}").format(value=rule_id),
                   _("e.g. id: monthly-supervision"))
    rule_type = _choice(where, raw, "type", tuple(RULE_FIELDS))
    if rule_type is None:
        where.fail("type", _("is missing"), _("use one of {choices}").format(choices=", ".join(RULE_FIELDS)))
    required, optional = RULE_FIELDS[rule_type]
    for key in sorted(required):
        if raw.get(key) is None:
            where.fail(key, _("is required for a {type} rule").format(type=rule_type), _("add {key}: ...").format(key=key))
    allowed = required | optional | {"id", "title", "type", "description"}
    for key in sorted(set(raw) - allowed):
        where.fail(key, _("is not a field of a {type} rule").format(type=rule_type),
                   _("use one of {choices}").format(choices=", ".join(sorted(allowed))))
    values: dict = {
        "id": rule_id,
        "title": _text(where, raw, "title"),
        "type": rule_type,
        "description": _text(where, raw, "description", required=False),
        "kind": _kinds(where, raw, "kind", ("practice",)),
        "format": _choice(where, raw, "format", ("individual", "group")),
        "credit": _choice(where, raw, "credit", CREDITS, "none"),
        "measure": _choice(where, raw, "measure", MEASURES, "hours"),
        "period": _choice(where, raw, "period", PERIODS),
        "after": _choice(where, raw, "after", SETTING_DATES),
        "from_setting": _choice(where, raw, "from", SETTING_DATES),
        "anchor": _choice(where, raw, "anchor", SETTING_DATES),
        "counts": _choice(where, raw, "counts", WEEKLY_COUNTS, "experience"),
        "min_window": _window(where, raw, "min_window"),
        "window": _window(where, raw, "window"),
        **{key: _number(where, raw, key, integer=whole) for key, whole in NUMBERS.items()},
    }
    for flag in ("exclude_peer", "whole_blocks", "paid"):
        if flag in raw:
            if not isinstance(raw[flag], bool):
                where.fail(flag, _("must be true or false, got {value!r}").format(value=raw[flag]),
                           _("e.g. {key}: true").format(key=flag))
            values[flag] = raw[flag]
    if "except_tag" in raw:
        values["except_tag"] = _text(where, raw, "except_tag")
    if "only_in_met" in raw:
        values["only_in_met"] = _text(where, raw, "only_in_met")
    if "non_clinical" in raw:
        values["non_clinical"] = _kinds(where, raw, "non_clinical", ())
    if "also" in raw:
        also = raw["also"]
        if not isinstance(also, dict) or set(also) - {"kind", "tag"} or "kind" not in also:
            where.fail("also", _("must be {{kind: K, tag: T}}, got {value!r}").format(value=also),
                       _("e.g. also: {kind: supervision, tag: cpd}"))
        values["also"] = ((_kinds(where, also, "kind", ()), _text(where, also, "tag", required=False)),)
    if values["after"] and values["from_setting"]:
        where.fail("from", _("and 'after' cannot both be given"), _("keep one of them"))
    if "tag" in raw:
        values["tag"] = _text(where, raw, "tag")
    if "of" in raw:
        values["of"] = _kinds(where, raw, "of", ())
    values["while_kind"] = _choice(where, raw, "while", SESSION_KINDS)
    values["supervision_kind"] = _choice(where, raw, "supervision", SESSION_KINDS)
    if rule_type == "total" and len({"max_per", "per", "of"} & set(raw)) in (1, 2):
        where.fail("max_per", _("goes with per and of in a total"), _("e.g. max_per: 4, per: 40, of: practice"))
    if values["per"] == 0:
        where.fail("per", _("must be more than 0"), _("e.g. per: 8 (hours of the 'of' kind)"))
    if "part" in raw:
        part = raw["part"]
        if not isinstance(part, dict) or set(part) != {"format"} or part["format"] not in ("individual", "group"):
            where.fail("part", _("must be {{format: group}} or {{format: individual}}, got {value!r}").format(value=part),
                       _("e.g. part: {format: group}"))
        values["part_format"] = part["format"]
    if "unit_hours" in raw:
        units = raw["unit_hours"]
        if not isinstance(units, dict) or set(units) != {"individual", "group"} or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in units.values()):
            where.fail("unit_hours", _("must give hours per unit for individual and group"),
                       _("e.g. unit_hours: {individual: 1, group: 2}"))
        values["unit_hours"] = (float(units["individual"]), float(units["group"]))
    if rule_type == "per_period" and values["period"] in ("month", "week") and values["periods"]:
        where.fail("periods", _("only applies to twelve-month or five-year periods"),
                   _("drop it, or use period: twelve-months"))
    return Rule(**{k: v for k, v in values.items() if v is not None})


def _window(where: _Where, raw: dict, key: str) -> tuple[tuple[str, int], ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if (not isinstance(value, dict) or not value or set(value) - set(WINDOW_UNITS)
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values())):
        where.fail(key, _("must be a length such as {{months: 18}}, got {value!r}").format(value=value),
                   _("use years, months, weeks or days"))
    return tuple(sorted(value.items()))
