"""The emotion vocabulary (``data/cards/emotions.yml``): find a word, store a reflection's emotions,
and count which emotions recur by month.

The vocabulary follows the spirit of Plutchik's wheel: eight families, each with milder and
stronger forms, and blends of two families. Words are stored by id; their English and French
names, and other forms people type, come from the data file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from journal.db import Journal
from journal.entries import Filters, filter_clause
from journal.errors import InputError, JournalError
from journal.language import LANGUAGES
from journal.i18n import _

INTENSITIES = ("mild", "basic", "strong")


@dataclass(frozen=True)
class Emotion:
    """One word of the vocabulary."""

    id: str
    family: str  # the primary emotion's id, or "blend"
    intensity: str  # mild, basic, strong or blend
    names: dict[str, str]
    also: tuple[str, ...] = ()
    of: tuple[str, ...] = ()  # a blend's two families

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names["en"]

    def as_record(self, lang: str = "en") -> dict:
        return {"id": self.id, "name": self.name(lang), "family": self.family, "intensity": self.intensity,
                "of": list(self.of), "en": self.names["en"], "fr": self.names["fr"]}


@dataclass(frozen=True)
class Vocabulary:
    words: dict[str, Emotion]
    families: dict[str, dict[str, str]]  # family id -> names by language
    keys: dict[str, str]  # a folded name or other form -> id
    forms: dict[str, str]  # a folded name or other form -> as written in the file

    def find(self, word: str) -> Emotion:
        """The emotion ``word`` names (English or French, case and accents ignored); an unknown
        word is an error suggesting the closest words."""
        found = self.keys.get(fold(word))
        if found:
            return self.words[found]
        from difflib import get_close_matches

        close = get_close_matches(fold(word), list(self.keys), n=3, cutoff=0.7)
        best: dict[str, str] = {}  # one suggestion per emotion, its closest form
        for key in close:
            best.setdefault(self.keys[key], self._label(key))
        names = list(best.values())
        hint = (f"did you mean {' or '.join(names)}?" if names
                else "`journal emotions` lists the words, e.g. sadness, fear, shame")
        raise InputError(_("{word!r} is not in the emotion vocabulary").format(word=word), hint)

    def _label(self, key: str) -> str:
        """A suggestion as shown: the form that matched, and its word when that differs."""
        form, emotion = self.forms[key], self.words[self.keys[key]]
        return form if fold(form) in {fold(n) for n in emotion.names.values()} else f"{form} ({emotion.id})"

    def complete(self, incomplete: str) -> list[str]:
        """Names (in either language) starting with what was typed, for shell completion."""
        typed = fold(incomplete)
        names = (e.names[lang] for e in self.words.values() for lang in LANGUAGES)
        return sorted({n for n in names if fold(n).startswith(typed)}, key=fold)


def fold(text: str) -> str:
    """A word as looked up: lower case, no accents, single spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once per process."""
    from journal.resources import site_folder
    from journal.yamlfile import read_yaml

    path = site_folder("data") / "cards" / "emotions.yml"
    return parse_vocabulary(read_yaml(path), path.name)


def parse_vocabulary(data: object, name: str) -> Vocabulary:
    """Check and index the vocabulary file's data."""
    if not isinstance(data, dict) or not isinstance(data.get("families"), list):
        raise JournalError(_("{name}: has no list of families").format(name=name), _("reinstall practice-journal"))
    words: dict[str, Emotion] = {}
    families: dict[str, dict[str, str]] = {}
    for family in data["families"]:
        families[family["id"]] = _names(name, family)
        for intensity in INTENSITIES:
            for raw in family.get(intensity) or []:
                _add(words, name, raw, family=family["id"], intensity=intensity)
    for raw in data.get("blends") or []:
        if any(part not in families for part in raw.get("of") or ()):
            raise JournalError(_("{name}: blend {get!r} names an unknown family").format(name=name, get=raw.get('id')), _("fix its `of`"))
        _add(words, name, raw, family="blend", intensity="blend", of=tuple(raw["of"]))
    keys: dict[str, str] = {}
    forms: dict[str, str] = {}
    for emotion in words.values():
        for text in (*emotion.names.values(), *emotion.also, emotion.id):
            key = fold(text)
            if keys.setdefault(key, emotion.id) != emotion.id:
                raise JournalError(_("{name}: {text!r} names both {value} and {id}").format(name=name, text=text, value=keys[key], id=emotion.id),
                                   _("give each word its own forms"))
            forms.setdefault(key, text)
    return Vocabulary(words, families, keys, forms)


def _names(file: str, raw: dict) -> dict[str, str]:
    names = {lang: raw.get(lang) for lang in LANGUAGES}
    missing = [lang for lang, text in names.items() if not isinstance(text, str) or not text.strip()]
    if missing or not raw.get("id"):
        raise JournalError(_("{file}: word {get!r} has no {value} name").format(file=file, get=raw.get('id'), value=' or '.join(missing) or 'id'),
                           _("give every word an id, en and fr"))
    return names


def _add(words: dict[str, Emotion], file: str, raw: dict, **fields) -> None:
    if raw.get("id") in words:
        raise JournalError(_("{file}: the id {id!r} is used twice").format(file=file, id=raw['id']), _("give each word its own id"))
    also = raw.get("also") or {}
    forms = tuple(form for lang in LANGUAGES for form in also.get(lang) or ())
    words[raw["id"]] = Emotion(id=raw["id"], names=_names(file, raw), also=forms, **fields)


def find_emotions(words: tuple[str, ...] | list[str]) -> list[str]:
    """The ids of the words typed, in order, each once."""
    if not words:
        return []
    vocab = vocabulary()
    return list(dict.fromkeys(vocab.find(word).id for word in words))


def emotion_report(journal: Journal, filters: Filters | None = None, lang: str = "en") -> list[dict]:
    """How many reflections named each emotion, by month (months in order, most named first)."""
    base = filters or Filters()
    clause = filter_clause(journal, Filters(("reflection",), base.since, base.until, base.person, base.tag))
    if clause is None:
        return []
    where, params = clause
    rows = journal.execute(
        f"""SELECT substr(e.date, 1, 7) AS month, x.emotion, count(*) FROM entries e
            JOIN entry_emotions x ON x.entry_id = e.id WHERE {where}
            GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2""", params).fetchall()
    words = vocabulary().words
    report = []
    for month, emotion_id, count in rows:
        emotion = words.get(emotion_id)
        report.append({"period": month, "kind": "reflection", "emotion": emotion_id,
                       "name": emotion.name(lang) if emotion else emotion_id,
                       "family": emotion.family if emotion else None, "count": count})
    return report


def emotion_totals(rows: list[dict]) -> list[dict]:
    """One total line per emotion over a report's months, most named first."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(row["emotion"], {**row, "period": "total", "count": 0})
        total["count"] += row["count"]
    return sorted(totals.values(), key=lambda row: (-row["count"], row["name"]))
