"""Profiles: the shipped files say what their bodies say, and a broken user file is refused clearly."""

from __future__ import annotations

from datetime import date

import pytest

from journal.rules.profiles import PROFILE_DIR, SHIPPED, SHIPPED_JSON, load_file, load_profile, shipped_json

CONTRACT_IDS = [
    "bacp-practice", "bacp-accreditation", "bacp-student", "ukcp-trainee-therapy", "ukcp-cpd",
    "eap-ecp", "icf-acc", "icf-pcc", "icf-mcc", "icf-mentor", "emdr-europe", "tx-lpc", "ca-lpcc",
    "oh-counselor", "va-lpc",
]
NEW_IDS = ["ukcp-trainee-practice", "appic-aapi", "ecp-ff2p", "crpo-independent"]



@pytest.fixture(autouse=True)
def _a_journal(journal):
    """`journal check` reads a journal, so every test here has one (empty)."""

def test_profiles_lists_every_contract_id_with_source_and_date(run):
    result = run("profiles", "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert [r["id"] for r in rows] == CONTRACT_IDS + NEW_IDS
    for row in rows:
        assert set(row) == {"id", "title", "description", "source", "checked", "versions"}
        assert row["title"] and row["description"] and row["source"]
        date.fromisoformat(row["checked"])
    table = run("profiles").stdout
    assert "bacp-practice" in table and "BACP, \"How much supervision should I have?\"" in table



def test_shipped_json_holds_exactly_the_yaml_files():
    """The shipped profiles are read from shipped.json, which must be rebuilt after editing a YAML file."""
    assert SHIPPED_JSON.read_text(encoding="utf-8") == shipped_json(), \
        "run .venv/bin/python -m journal.rules.compile_profiles"
    for profile_id in SHIPPED:  # the same rules, each value of the same type (1 is not read back as 1.0)
        shipped, parsed = load_profile(profile_id), load_file(PROFILE_DIR / f"{profile_id}.yml")
        assert shipped == parsed and repr(shipped) == repr(parsed)


def test_checking_with_shipped_profiles_loads_no_yaml_and_defines_no_dataclass(db_path):
    """Start-up cost: PyYAML is imported only for a user's own profile file; the profiles, rules and
    measures are named tuples (a dataclass costs about a millisecond to define at every start);
    Click's completion classes and the csv module wait for completion and --csv."""
    import subprocess
    import sys

    code = ("import sys\nfrom journal.cli import cli\n"
            "try:\n    cli.main(sys.argv[1:], prog_name='journal')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('yaml', 'dataclasses', 'click.shell_completion', 'csv') if m in sys.modules))")
    every = [arg for profile_id in SHIPPED for arg in ("--profile", profile_id)]
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db_path), "check", *every, "--json"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
    assert '"profile": "va-lpc"' in result.stdout

def test_every_profile_file_is_named_after_its_id():
    assert sorted(p.stem for p in PROFILE_DIR.glob("*.yml")) == sorted(SHIPPED)
    for profile_id in SHIPPED:
        assert load_profile(profile_id).id == profile_id


# Each row: a sentence of the body's rules (DESIGN.md, "Domain rules") and how the profile encodes it.
WORDING = [
    ("bacp-practice", "monthly-supervision", "1.5 h supervision in every calendar month while seeing clients",
     {"type": "per_period", "period": "month", "min": 1.5, "kind": ("supervision",), "credit": "bacp-group",
      "while_kind": "practice"}),
    ("bacp-accreditation", "practice-hours", "at least 450 supervised practice hours within ... 6 years",
     {"type": "total", "min": 450, "window": (("years", 6),), "kind": ("practice",)}),
    ("bacp-accreditation", "practice-after-qualifying", "at least 150 after qualifying",
     {"type": "total", "min": 150, "after": "qualified_on"}),
    ("bacp-accreditation", "years-in-practice", "at least 3 years in practice",
     {"type": "span", "min_months": 36}),
    ("bacp-student", "supervision-ratio", "supervision at least 1 h per 8 h of client work",
     {"type": "ratio", "min": 1, "per": 8, "of": ("practice",), "kind": ("supervision",)}),
    ("bacp-student", "supervision-every-two-weeks", "at least every 2 weeks",
     {"type": "max_gap", "max_days": 14, "kind": ("supervision",)}),
    ("bacp-student", "placement-hours", "at least 100 placement hours", {"type": "total", "min": 100}),
    ("ukcp-trainee-therapy", "therapy-total", "at least 160 h personal therapy",
     {"type": "total", "min": 160, "kind": ("therapy",)}),
    ("ukcp-trainee-therapy", "therapy-each-year", "at least 40 h in each of 4 twelve-month periods",
     {"type": "per_period", "period": "twelve-months", "periods": 4, "min": 40}),
    ("ukcp-cpd", "cpd-five-years", "at least 250 h in any 5 years (from registration)",
     {"type": "per_period", "period": "five-years", "min": 250, "anchor": "qualified_on", "kind": ("cpd",),
      "also": ((("supervision",), "cpd"),)}),
    ("ukcp-cpd", "cpd-every-year", "at least 20 h in any year (from registration)",
     {"type": "per_period", "period": "twelve-months", "min": 20, "anchor": "qualified_on"}),
    ("eap-ecp", "therapy-total", "at least 250 h of personal therapy", {"type": "total", "min": 250}),
    ("icf-acc", "coaching-hours", "ACC 100 h coaching", {"min": 100}),
    ("icf-acc", "paid-hours", "(75 paid)", {"min": 75, "paid": True}),
    ("icf-acc", "clients", "8 clients", {"type": "clients", "min": 8, "group_members": 15}),
    ("icf-acc", "recent-hours", "25 h in the last 18 months", {"min": 25, "window": (("months", 18),)}),
    ("icf-pcc", "coaching-hours", "PCC 500 h", {"min": 500}),
    ("icf-pcc", "paid-hours", "(450 paid)", {"min": 450, "paid": True}),
    ("icf-pcc", "clients", "25 clients", {"type": "clients", "min": 25}),
    ("icf-pcc", "recent-hours", "50 h in the last 18 months", {"min": 50, "window": (("months", 18),)}),
    ("icf-mcc", "coaching-hours", "MCC 2,500 h", {"min": 2500}),
    ("icf-mcc", "paid-hours", "(2,250 paid)", {"min": 2250, "paid": True}),
    ("icf-mcc", "clients", "35 clients", {"type": "clients", "min": 35}),
    ("icf-mentor", "mentor-hours", "10 h", {"type": "total", "min": 10}),
    ("icf-mentor", "over-three-months", "over at least 3 months", {"type": "span", "min_months": 3}),
    ("icf-mentor", "one-to-one", "at least 3 h one-to-one", {"min": 3, "format": "individual"}),
    ("emdr-europe", "clients", "at least 25 clients", {"type": "clients", "min": 25, "tag": "emdr"}),
    ("emdr-europe", "sessions", "50 EMDR sessions", {"min": 50, "measure": "sessions", "tag": "emdr"}),
    ("emdr-europe", "consultant-supervision", "about 20 h supervision with a consultant",
     {"min": 20, "kind": ("supervision",)}),
    ("tx-lpc", "experience-hours", "Texas LPC 3,000 h", {"min": 3000}),
    ("tx-lpc", "direct-hours", "(1,500 direct)", {"min": 1500, "kind": ("practice",)}),
    ("tx-lpc", "eighteen-months", "over at least 18 months", {"type": "span", "min_months": 18}),
    ("tx-lpc", "monthly-supervision", "at least 4 h supervision a month",
     {"type": "per_period", "period": "month", "min": 4}),
    ("tx-lpc", "group-share", "at most half of it in groups",
     {"type": "share", "max": 50, "part_format": "group"}),
    ("ca-lpcc", "weekly-units", "1 h individual or 2 h group; one more when direct counselling tops 10 h",
     {"type": "weekly_units", "unit_hours": (1.0, 2.0), "min_units": 1, "extra_unit_over": 10}),
    ("oh-counselor", "supervision-ratio", "Ohio: 1 h supervision per 20 h of work",
     {"type": "ratio", "min": 1, "per": 20}),
    ("va-lpc", "residency-hours", "Virginia: 3,400 h", {"min": 3400}),
    ("va-lpc", "direct-hours", "(2,000 direct)", {"min": 2000}),
    ("va-lpc", "supervision-hours", "200 h supervision", {"min": 200, "kind": ("supervision",)}),
    ("va-lpc", "individual-supervision", "at least 100 individual", {"min": 100, "format": "individual"}),
    ("va-lpc", "supervision-ratio", "1 to 4 h of supervision per 40 h of work", {"min": 1, "per": 40}),
]


@pytest.mark.parametrize("profile_id, rule_id, wording, expected", WORDING,
                         ids=[f"{p}:{r}" for p, r, _, _ in WORDING])
def test_profile_encodes_its_bodys_wording(profile_id, rule_id, wording, expected):
    rule = next(r for r in load_profile(profile_id).rules if r.id == rule_id)
    assert {key: getattr(rule, key) for key in expected} == expected, wording


# A user's own profile file.

GOOD = """\
id: my-course
title: My course
source: Course handbook 2026, section 4
checked: 2026-09-01
rules:
  - id: therapy
    title: At least 40 h of personal therapy
    type: total
    kind: therapy
    min: 40
"""


def test_a_users_profile_file_is_checked_like_a_shipped_one(run, tmp_path):
    path = tmp_path / "my-course.yml"
    path.write_text(GOOD, encoding="utf-8")
    run("log", "therapy", "50m", "--at", "2026-03-03 15:00")
    result = run("check", "--profile", str(path), "--as-of", "2026-03-31", "--json")
    assert result.exit_code == 3
    report = result.json()
    assert report["profile"] == "my-course"
    assert report["rules"][0]["value"] == 0.83 and report["rules"][0]["missing"] == 39.17


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("type: total", "type: ratio"), "my-course.yml: rule therapy: field 'of' is required for a ratio rule"),
        (GOOD.replace("    min: 40\n", "    min: 40\n    max_per: 4\n"),
         "rule therapy: field 'max_per' goes with per and of in a total"),
        (GOOD + "versions:\n  - effective_from: soon\n    rules: []\n",
         "my-course.yml: field 'effective_from' must be the date the version takes effect"),
        (GOOD.replace("min: 40", "min: lots"), "rule therapy: field 'min' must be a number of 0 or more, got 'lots'"),
        (GOOD.replace("kind: therapy", "kind: yoga"), "rule therapy: field 'kind' must be one or more of therapy"),
        (GOOD.replace("type: total", "type: average"), "rule therapy: field 'type' must be one of total"),
        (GOOD.replace("    min: 40\n", "    min: 40\n    period: month\n"),
         "rule therapy: field 'period' is not a field of a total rule"),
        (GOOD.replace("checked: 2026-09-01\n", ""), "my-course.yml: field 'checked' must be the date"),
        (GOOD.replace("source: Course handbook 2026, section 4\n", ""), "my-course.yml: field 'source' is missing"),
        (GOOD.replace("  - id: therapy", "  - id: Therapy Hours"), "rule #1: field 'id' must be a short slug"),
        (GOOD.replace("    min: 40\n", "    min: 40\n    window: {fortnights: 2}\n"),
         "rule therapy: field 'window' must be a length such as {months: 18}"),
        (GOOD.replace("    kind: therapy\n", "    kind: therapy\n  wrong: indent\n"), "my-course.yml: not valid YAML at line"),
        ("- just a list\n", "my-course.yml: a profile is a mapping"),
        (GOOD + "  - id: therapy\n    title: again\n    type: total\n    min: 1\n",
         "rule therapy: field 'id' is used by two rules"),
    ],
)
def test_broken_profile_file_is_one_line_naming_file_rule_and_field(run, tmp_path, text, message):
    path = tmp_path / "my-course.yml"
    path.write_text(text, encoding="utf-8")
    result = run("check", "--profile", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unknown_profile_suggests_the_closest_id(run):
    result = run("check", "--profile", "bacp-practise")
    assert result.exit_code == 2
    assert "unknown profile 'bacp-practise'; did you mean bacp-practice?" in result.stderr


def test_missing_profile_file_is_a_usage_error(run, tmp_path):
    result = run("check", "--profile", str(tmp_path / "nope.yml"))
    assert result.exit_code == 2
    assert "no profile file at" in result.stderr


@pytest.mark.parametrize("command", ["profiles", "check"])
def test_commands_have_help_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "journal " + command in result.stdout


RATIO = GOOD.replace("    kind: therapy\n    min: 40\n", "    kind: supervision\n    min: 1\n    per: 8\n    of: practice\n").replace("type: total", "type: ratio")


@pytest.mark.parametrize(
    "text, message",
    [
        (RATIO.replace("per: 8", "per: 0"), "rule therapy: field 'per' must be more than 0"),
        (RATIO.replace("of: practice", "of: [practice, walks]"), "rule therapy: field 'of' must be one or more of"),
        (RATIO.replace("type: ratio", "type: max_gap").replace("    min: 1\n    per: 8\n    of: practice\n",
                                                               "    max_days: 14\n    while: [practice, cpd]\n"),
         "rule therapy: field 'while' must be one of therapy, supervision, practice, cpd"),
    ],
)
def test_more_broken_rules_are_refused(run, tmp_path, text, message):
    path = tmp_path / "my-course.yml"
    path.write_text(text, encoding="utf-8")
    result = run("check", "--profile", str(path))
    assert result.exit_code == 1
    assert message in result.stderr


# A broken profile file, in the practitioner's language: (the file's text, the English, the French).
BROKEN_IN_BOTH = [
    (GOOD.replace("min: 40", "min: lots"),
     "my-course.yml: rule therapy: field 'min' must be a number of 0 or more, got 'lots'; e.g. min: 40",
     "my-course.yml : règle therapy : le champ 'min' doit être un nombre positif ou nul, et non 'lots' ; "
     "par ex. min: 40"),
    (GOOD.replace("checked: 2026-09-01\n", ""),
     "my-course.yml: field 'checked' must be the date the rules were checked against the source; "
     "e.g. checked: 2026-11-01",
     "my-course.yml : le champ 'checked' doit être la date à laquelle les règles ont été vérifiées auprès de "
     "la source ; par ex. checked: 2026-11-01"),
    (GOOD.replace("type: total", "type: ratio"),
     "my-course.yml: rule therapy: field 'of' is required for a ratio rule; add of: ...",
     "my-course.yml : règle therapy : le champ 'of' est obligatoire dans une règle ratio ; ajoutez of: ..."),
    (GOOD.replace("    kind: therapy\n", "    kind: therapy\n  wrong: indent\n"),
     "my-course.yml: not valid YAML at line",
     "my-course.yml : YAML invalide à la ligne"),
    ("- just a list\n",
     "my-course.yml: a profile is a mapping with id, title, source, checked and rules; "
     "see `journal profiles` and the README for an example",
     "my-course.yml : un profil est une suite de champs id, title, source, checked et rules ; "
     "voir `journal profiles` et le README pour un exemple"),
]


@pytest.mark.parametrize("text, english, french", BROKEN_IN_BOTH, ids=["number", "checked", "required", "yaml", "shape"])
def test_a_broken_profile_file_is_refused_in_the_practitioners_language(run, tmp_path, text, english, french):
    path = tmp_path / "my-course.yml"
    path.write_text(text, encoding="utf-8")
    said = {"en": run("check", "--profile", str(path)), "fr": run("check", "--profile", str(path),
                                                                   env={"LANG": "fr_FR.UTF-8"})}
    assert run("config", "language", "fr").exit_code == 0
    said["setting"] = run("check", "--profile", str(path))
    for language, result in said.items():
        assert result.exit_code == 1, language
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, language
    assert said["en"].stderr.startswith("Error: " + english)
    for language in ("fr", "setting"):
        assert said[language].stderr.startswith("Erreur : " + french), language
        assert "field" not in said[language].stderr and "must" not in said[language].stderr


@pytest.mark.parametrize("ref, english, french", [
    ("bacp-practise", "unknown profile 'bacp-practise'; did you mean bacp-practice?",
     "profil inconnu 'bacp-practise' ; vouliez-vous dire bacp-practice ?"),
    ("nothing-like-it", "unknown profile 'nothing-like-it'; `journal profiles` lists them, e.g. bacp-practice",
     "profil inconnu 'nothing-like-it' ; `journal profiles` les liste, par ex. bacp-practice"),
    ("missing.yml", "no profile file at missing.yml; check the path, or pass a profile id",
     "aucun fichier de profil à missing.yml ; vérifiez le chemin, ou donnez l'id d'un profil"),
], ids=["close", "far", "file"])
def test_an_unknown_profile_is_refused_in_the_practitioners_language(run, ref, english, french):
    for env, expected in (({}, "Error: " + english), ({"LANG": "fr_FR.UTF-8"}, "Erreur : " + french)):
        result = run("check", "--profile", ref, env=env)
        assert result.exit_code == 2
        assert result.stderr.strip() == expected
