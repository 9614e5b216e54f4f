"""Reflective templates: the models practitioners are taught, as Markdown headings with prompts.

Each template is plain data (a name, a title, a one-line description and its sections), kept
apart from the code that renders it, so that a translation can stand beside the English.
In the editor each guiding question is an HTML comment under its heading; comments are
removed when the reflection is saved, and so are headings left without an answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from journal.errors import InputError
from journal.i18n import N_, _, language


@dataclass(frozen=True)
class Section:
    heading: str
    question: str


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str
    sections: tuple[Section, ...]

    def as_record(self, *, questions: bool = False) -> dict:
        """The template for ``--json``; with ``questions``, each heading's guiding question too."""
        record = {
            "name": self.name,
            "title": _(self.title),
            "description": _(self.description),
            "headings": [_(s.heading) for s in self.sections],
        }
        if language() != "en":
            record["local_name"] = self.local_name()
        if questions:
            record["sections"] = [{"heading": _(s.heading), "question": _(s.question)} for s in self.sections]
        return record

    def local_name(self) -> str:
        """The name to type in the active language (``journal reflect --template libre``)."""
        return FRENCH_NAMES.get(self.name, self.name) if language() == "fr" else self.name


def _t(name: str, title: str, description: str, *sections: tuple[str, str]) -> Template:
    return Template(name, title, description, tuple(Section(h, q) for h, q in sections))


TEMPLATES: tuple[Template, ...] = (
    _t("free", N_("Free writing"), N_("No headings: write what is on your mind.")),
    _t(
        "gibbs", N_("Gibbs' reflective cycle"), N_("Six stages from what happened to what you will do next time."),
        (N_("Description"), N_("What happened? Who was there, what did you and they do?")),
        (N_("Feelings"), N_("What were you thinking and feeling at the time, and afterwards?")),
        (N_("Evaluation"), N_("What went well, and what did not?")),
        (N_("Analysis"), N_("What sense can you make of it? What helped or got in the way?")),
        (N_("Conclusion"), N_("What else could you have done? What have you learned?")),
        (N_("Action plan"), N_("What will you do if it happens again?")),
    ),
    _t(
        "kolb", N_("Kolb's experiential learning cycle"), N_("From an experience to a new way of acting."),
        (N_("Concrete experience"), N_("What did you do or see? Describe it plainly.")),
        (N_("Reflective observation"), N_("Looking back, what do you notice? How did it feel?")),
        (N_("Abstract conceptualisation"), N_("What does theory, or your own model, say about it?")),
        (N_("Active experimentation"), N_("What will you try next time, and how will you know it worked?")),
    ),
    _t(
        "rolfe", N_("Rolfe's What? So what? Now what?"), N_("Three questions: the quickest structured model."),
        (N_("What?"), N_("What happened? What was my part, and what did others do?")),
        (N_("So what?"), N_("What does it tell me about me, my client, our relationship, my practice?")),
        (N_("Now what?"), N_("What do I need to do, learn or take to supervision?")),
    ),
    _t(
        "johns", N_("Johns' model for structured reflection"), N_("Looking in at yourself, then looking out at the situation."),
        (N_("Looking in"), N_("Find a quiet space. What thoughts and feelings come up as you recall it?")),
        (N_("Looking out: the experience"), N_("Describe the experience that seems significant.")),
        (N_("Aesthetics"), N_("What was I trying to achieve? Why did I respond as I did? What did it mean for the other person?")),
        (N_("Personal"), N_("Why did I feel the way I did? What in me was touched?")),
        (N_("Ethics"), N_("Did I act for the best? Whose interests, and which values, shaped what I did?")),
        (N_("Empirics"), N_("What knowledge informed me, or could have?")),
        (N_("Reflexivity"), N_("How does this connect with earlier experiences? What would I do differently now?")),
    ),
    _t(
        "schon", N_("Schön: reflection in and on action"), N_("What you noticed in the moment, and what you see afterwards."),
        (N_("The situation"), N_("What was happening, briefly?")),
        (N_("Reflection in action"), N_("What did you notice while it was happening, and how did you adjust there and then?")),
        (N_("Reflection on action"), N_("Looking back now, what do you understand that you could not see at the time?")),
    ),
    _t(
        "cpd", N_("The CPD cycle"), N_("Reflect on a need, plan the learning, act, then evaluate what changed."),
        (N_("Reflect"), N_("What do you need to learn or develop, and why now?")),
        (N_("Plan"), N_("How will you learn it: course, reading, supervision, practice?")),
        (N_("Act"), N_("What did you do? Dates, hours, what you learned.")),
        (N_("Evaluate"), N_("What has changed in your practice? What next?")),
    ),
    _t(
        "prompt-card", N_("Prompt card: stepping into a picture"),
        N_("Imagine yourself into a picture or situation, and name the emotions you find there."),
        (N_("The picture"), N_("Describe the picture or situation you chose: a photograph, a painting, a scene from your week.")),
        (N_("Stepping in"), N_("Imagine yourself into it as one of the people there. Where are you? What do you see, hear, want?")),
        (N_("Their emotions"), N_("Name what they might feel, as precisely as you can (e.g. afraid, ashamed, lonely, relieved, tender, furious).")),
        (N_("My emotions"), N_("Stepping back out: what do you feel now, and where in your body?")),
        (N_("What I take to practice"), N_("What does this tell you about the people you work with, or about yourself?")),
    ),
)

_BY_NAME = {t.name: t for t in TEMPLATES}
# Each model is reachable by its name in either language (accents and case ignored).
FRENCH_NAMES = {"free": "libre", "cpd": "formation-continue", "prompt-card": "carte"}
_ALIASES = {"schoen": "schon", "prompt": "prompt-card", "card": "prompt-card", "none": "free",
            "fpc": "cpd", "cycle-fpc": "cpd", "carte-amorce": "prompt-card", "aucun": "free",
            **{french: name for name, french in FRENCH_NAMES.items()}}
TEMPLATE_NAMES = tuple(_BY_NAME)

EDITOR_HELP = N_(
    "<!-- Write under each heading; lines like this one are removed when you save.\n"
    "     Leave the file empty or unchanged to cancel: nothing is written. -->"
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^##\s")


def get_template(name: str) -> Template:
    """The template called ``name`` (case and accents ignored); unknown names list the known ones."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(c))
    key = plain.strip().lower().replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key not in _BY_NAME:
        raise InputError(_("unknown template {name!r}").format(name=name), _("use one of {choices}").format(
            choices=", ".join(_BY_NAME[t].local_name() for t in TEMPLATE_NAMES)))
    return _BY_NAME[key]


def editor_text(template: Template) -> str:
    """What the editor opens with: a help comment, then each heading and its question."""
    parts = [_(EDITOR_HELP), ""]
    for section in template.sections:
        parts += [f"## {_(section.heading)}", f"<!-- {_(section.question)} -->", "", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def show_text(template: Template) -> str:
    """The template for reading (``journal templates NAME``): headings with questions in plain text."""
    lines = [f"# {_(template.title)}", "", _(template.description)]
    for section in template.sections:
        lines += ["", f"## {_(section.heading)}", _(section.question)]
    return "\n".join(lines)


def strip_guidance(text: str) -> str:
    """The reflection as saved: comments removed, headings left unanswered dropped."""
    sections: list[list[str]] = [[]]
    for line in _COMMENT.sub("", text).splitlines():
        if _HEADING.match(line):
            sections.append([line])
        else:
            sections[-1].append(line)
    return "\n\n".join("\n".join(s).strip("\n") for s in sections if _answered(s)).strip()


def _answered(section: list[str]) -> bool:
    body = section[1:] if section and _HEADING.match(section[0]) else section
    return any(line.strip() for line in body)


_MARKUP = re.compile(r"^(?:#+\s*|[-*>]\s+|\d+[.)]\s+)")


def reflection_title(title: str | None, body: str | None, template: str | None, day: str) -> str:
    """What a reflection is listed as: its title, else its first line of real text (not a heading
    nor markup), else its template's name and date (``Gibbs' reflective cycle, 2026-03-03``)."""
    if title and title.strip():
        return title.strip()
    for line in _COMMENT.sub("", body or "").splitlines():
        if _HEADING.match(line) or line.lstrip().startswith("#"):
            continue
        text = " ".join(_MARKUP.sub("", line.strip()).split())
        if text:
            return text
    name = _BY_NAME[template].title if template in _BY_NAME else "Reflection"
    return f"{name}, {day}"
