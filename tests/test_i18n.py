"""French and English: the catalogues are complete and fresh, the language is chosen as documented,
Click's own words are translated, and dates and numbers follow Babel's French conventions."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal as babel_decimal
from babel.messages.pofile import read_po, write_po
from hypothesis import given
from hypothesis import strategies as st

from journal import catalogues
from journal.i18n import LOCALE_DIR, activated, format_decimal, format_long_date, format_moment


def test_catalogues_are_complete_and_fresh():
    assert catalogues.problems() == []


def _copy_locale(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target)
    return target


def _edit_po(locale_dir, change):
    path = catalogues.po_path(catalogues.DOMAIN, "fr", locale_dir)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    change(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_a_missing_translation_and_a_stale_mo_are_reported(tmp_path):
    locale_dir = _copy_locale(tmp_path)

    def forget(catalog):
        catalog["Show your settings, or read, change or remove one.\n\n\b\nExamples:\n  journal config\n"
                "  journal config timezone\n  journal config timezone Europe/Paris\n"
                "  journal config profiles bacp-practice,ukcp-cpd\n  journal config qualified_on --unset"
                ].string = ""

    _edit_po(locale_dir, forget)
    found = "\n".join(catalogues.problems(locale_dir))
    assert "has no translation of 'Show your settings" in found
    assert "journal.mo (fr) is stale" in found


def test_a_string_the_code_no_longer_says_and_one_it_newly_says_are_reported(tmp_path):
    locale_dir = _copy_locale(tmp_path)

    def swap(catalog):
        catalog.delete("unknown kind {kind!r}")
        catalog.add("a sentence nobody wrote", "une phrase que personne n'a écrite")

    _edit_po(locale_dir, swap)
    found = "\n".join(catalogues.problems(locale_dir))
    assert "lacks 'unknown kind {kind!r}'" in found
    assert "has 'a sentence nobody wrote', which the code no longer says" in found


@pytest.fixture(autouse=True)
def _a_journal(run):
    """A journal to set the language of: `journal config` never creates one."""
    assert run("init").exit_code == 0


def test_the_locale_chooses_the_language_until_the_setting_does(run):
    french = {"LANG": "fr_FR.UTF-8"}
    assert "Utilisation :" in run("log", "--help", env=french).stdout
    assert "Usage:" in run("log", "--help").stdout
    assert run("config", "language", "en", env=french).exit_code == 0
    assert "Usage:" in run("log", "--help", env=french).stdout
    run("config", "language", "fr")
    assert "Utilisation :" in run("log", "--help").stdout
    assert "Utilisation :" in run("log", "--help", env={"LC_ALL": "en_GB.UTF-8"}).stdout


def test_lc_all_wins_over_lang(run):
    assert "Usage:" in run("log", "--help", env={"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}).stdout
    assert "Utilisation :" in run("log", "--help", env={"LC_MESSAGES": "fr_FR.UTF-8"}).stdout


def test_clicks_own_words_in_french(run):
    run("config", "language", "fr")
    missing = run("log", "therapy")
    assert missing.exit_code == 2
    assert "Utilisation : cli log" in missing.stderr  # CliRunner names the program after the function
    assert "Erreur : Argument manquant 'DURATION'." in missing.stderr
    assert "Essayez 'cli log --help' pour l'aide." in missing.stderr
    help_text = run("--help").stdout
    assert "Options :" in help_text or "Options:" in help_text
    assert "Afficher ce message et quitter." in help_text
    assert "Commandes" in help_text


def test_our_errors_in_french(run):
    run("config", "language", "fr")
    result = run("log", "thérapie", "50 min", "--at", "la semaine des quatre jeudis")
    assert result.exit_code == 2
    assert result.stderr.startswith("Erreur : impossible de comprendre la date")
    assert "Error" not in result.stderr


@pytest.mark.parametrize("record, english", [
    ('{"id": 1, "kind": "therapy", "start": "2026-03-02T10:00:00Z", "tz": "Mars/Olympus", "minutes": 50}',
     "record 1: 'tz' 'Mars/Olympus' is not a time zone such as Europe/London"),
    ('{"id": 1, "kind": "therapy", "start": "soon", "tz": "Europe/London", "minutes": 50}',
     "record 1: 'start' 'soon' is not a date and time such as 2026-03-02T10:00:00+00:00"),
    ('{"id": 1, "kind": "therapy", "start": "2026-03-02T10:00:00Z", "minutes": 50, "tags": "calm"}',
     "record 1: 'tags' should be a list of words, not 'calm'"),
])
def test_a_bad_import_record_is_refused_wholly_in_french(run, tmp_path, record, english):
    bad = tmp_path / "bad.json"
    bad.write_text(f"[{record}]", encoding="utf-8")
    assert english in run("import", "json", str(bad)).stderr
    run("config", "language", "fr")
    result = run("import", "json", str(bad))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Erreur : bad.json : enregistrement 1 : ")
    assert "relancez l’import" in result.stderr
    for word in ("record", "is not", "should be", "fix that", "nothing was"):
        assert word not in result.stderr, word


def test_every_commands_help_is_in_french(run):
    from journal.cli import COMMANDS

    english = {name: run(name, "--help").stdout for name in COMMANDS}
    run("config", "language", "fr")
    for name in COMMANDS:
        french = run(name, "--help")
        assert french.exit_code == 0, name
        assert french.stdout != english[name], name
        assert "Show this message and exit." not in french.stdout, name
        first_line = english[name].split("\n\n")[1].strip().splitlines()[0]
        assert first_line not in french.stdout, name


def test_french_words_do_not_stay_active_after_a_command(run):
    from journal.durations import parse_duration
    from journal.errors import InputError

    run("log", "--help", env={"LANG": "fr_FR.UTF-8"})
    with pytest.raises(InputError, match="cannot read the duration"):
        parse_duration("beaucoup")


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_long_dates_follow_babels_french_and_english(day):
    with activated("fr"):
        assert format_long_date(day) == format_date(day, format="long", locale="fr")
    with activated("en"):
        assert format_long_date(day) == format_date(day, format="d MMMM y", locale="en")


@given(days, st.times())
def test_moments_follow_babels_french_full_date(day, clock):
    moment = datetime.combine(day, clock)
    with activated("fr"):
        assert format_moment(moment) == f"{format_date(day, format='full', locale='fr')} à {clock:%H:%M}"


@given(st.integers(0, 9999).map(lambda n: n / 10))  # hours of one period: below a thousand
def test_decimals_follow_babels_french(value):
    with activated("fr"):
        assert format_decimal(value) == babel_decimal(value, locale="fr")


def test_weeks_start_on_monday_in_french():
    from babel import Locale

    assert Locale.parse("fr").first_week_day == 0  # Monday, the default of the week_start setting


def _glossary() -> dict[str, str]:
    import yaml

    return yaml.safe_load((LOCALE_DIR / "glossary.yml").read_text(encoding="utf-8"))


def test_every_catalogue_uses_the_glossary():
    import re

    glossary = _glossary()
    assert glossary["personal therapy"] == "thérapie personnelle"
    wrong = []
    for path in sorted(LOCALE_DIR.glob("fr/LC_MESSAGES/*.po")):
        if path.stem == catalogues.CLICK_DOMAIN:
            continue  # Click's own words hold none of the profession's
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="fr")
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for english, french in glossary.items():
                flags = 0 if english.isupper() else re.IGNORECASE  # acronyms only in capitals (not ukcp-cpd)
                if any(re.search(rf"\b{re.escape(english)}", key, flags) for key in ids if key):
                    if not all(french.lower() in text.lower() for text in strings):
                        wrong.append(f"{path.name}: {ids[0]!r} should say {french!r} for {english!r}")
    assert wrong == []


def test_every_translation_keeps_the_placeholders_of_its_english():
    import re

    def fields(text: str) -> set[str]:
        return set(re.findall(r"(?<!\{)\{([A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?)\}", text)) | set(
            re.findall(r"%\([a-z]+\)s", text))

    wrong = []
    for path in sorted(LOCALE_DIR.glob("fr/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="fr")
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            english = set().union(*map(fields, ids))
            for text in strings:
                if not fields(text) <= english or (len(ids) == 1 and fields(text) != english):
                    wrong.append(f"{path.name}: {ids[0]!r} -> {text!r}")
    assert wrong == []


def _pairs(english, french, path=""):
    """Each English text of a bilingual YAML file beside its French."""
    if isinstance(english, dict):
        for key, value in english.items():
            yield from _pairs(value, french.get(key) if isinstance(french, dict) else None, f"{path}.{key}")
    elif isinstance(english, list):
        for index, value in enumerate(english):
            other = french[index] if isinstance(french, list) and index < len(french) else None
            yield from _pairs(value, other, f"{path}[{index}]")
    elif isinstance(english, str):
        yield path, english, french or ""


def test_the_trust_statements_texts_use_the_glossary_too():
    import re

    import yaml

    from journal.trust import FOLDER

    texts = yaml.safe_load((FOLDER / "text.yml").read_text(encoding="utf-8"))
    wrong = []
    for path, english, french in _pairs(texts["en"], texts["fr"]):
        for term, word in _glossary().items():
            flags = 0 if term.isupper() else re.IGNORECASE
            if re.search(rf"\b{re.escape(term)}", english, flags) and word.lower() not in french.lower():
                wrong.append(f"text.yml{path}: {english!r} should say {word!r}")
    assert wrong == []


def test_the_lazy_catalogue_answers_as_gettext_does_for_every_message():
    """`journal log` opens the catalogue without decoding it: each message found by binary search
    over the sorted .mo gives what the standard library's full reading gives, plurals included."""
    import gettext

    from journal.i18n import LOCALE_DIR, LazyCatalogue

    path = LOCALE_DIR / "fr" / "LC_MESSAGES" / "journal.mo"
    full, lazy = gettext.GNUTranslations(path.open("rb")), LazyCatalogue(path.read_bytes())
    keys = [lazy._string(lazy._originals, i) for i in range(lazy._count)]
    assert keys == sorted(keys) and len(keys) > 1000
    singles = [key for key in full._catalog if isinstance(key, str) and key]
    assert all(lazy.gettext(key) == full.gettext(key) for key in singles)
    plurals = [(key.decode().split("\0")) for key in keys if b"\0" in key]
    assert plurals
    for one, many in plurals:
        for n in (0, 1, 2, 21, 1_000_000):
            assert lazy.ngettext(one, many, n) == full.ngettext(one, many, n), (one, n)
    assert lazy.gettext("no such message here") == "no such message here"
    assert lazy.ngettext("no such one", "no such ones", 2) == "no such ones"
