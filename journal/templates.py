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
            "title": self.title,
            "description": self.description,
            "headings": [s.heading for s in self.sections],
        }
        if questions:
            record["sections"] = [{"heading": s.heading, "question": s.question} for s in self.sections]
        return record


def _t(name: str, title: str, description: str, *sections: tuple[str, str]) -> Template:
    return Template(name, title, description, tuple(Section(h, q) for h, q in sections))


TEMPLATES: tuple[Template, ...] = (
    _t("free", "Free writing", "No headings: write what is on your mind."),
    _t(
        "gibbs", "Gibbs' reflective cycle", "Six stages from what happened to what you will do next time.",
        ("Description", "What happened? Who was there, what did you and they do?"),
        ("Feelings", "What were you thinking and feeling at the time, and afterwards?"),
        ("Evaluation", "What went well, and what did not?"),
        ("Analysis", "What sense can you make of it? What helped or got in the way?"),
        ("Conclusion", "What else could you have done? What have you learned?"),
        ("Action plan", "What will you do if it happens again?"),
    ),
    _t(
        "kolb", "Kolb's experiential learning cycle", "From an experience to a new way of acting.",
        ("Concrete experience", "What did you do or see? Describe it plainly."),
        ("Reflective observation", "Looking back, what do you notice? How did it feel?"),
        ("Abstract conceptualisation", "What does theory, or your own model, say about it?"),
        ("Active experimentation", "What will you try next time, and how will you know it worked?"),
    ),
    _t(
        "rolfe", "Rolfe's What? So what? Now what?", "Three questions: the quickest structured model.",
        ("What?", "What happened? What was my part, and what did others do?"),
        ("So what?", "What does it tell me about me, my client, our relationship, my practice?"),
        ("Now what?", "What do I need to do, learn or take to supervision?"),
    ),
    _t(
        "johns", "Johns' model for structured reflection", "Looking in at yourself, then looking out at the situation.",
        ("Looking in", "Find a quiet space. What thoughts and feelings come up as you recall it?"),
        ("Looking out: the experience", "Describe the experience that seems significant."),
        ("Aesthetics", "What was I trying to achieve? Why did I respond as I did? What did it mean for the other person?"),
        ("Personal", "Why did I feel the way I did? What in me was touched?"),
        ("Ethics", "Did I act for the best? Whose interests, and which values, shaped what I did?"),
        ("Empirics", "What knowledge informed me, or could have?"),
        ("Reflexivity", "How does this connect with earlier experiences? What would I do differently now?"),
    ),
    _t(
        "schon", "Schön: reflection in and on action", "What you noticed in the moment, and what you see afterwards.",
        ("The situation", "What was happening, briefly?"),
        ("Reflection in action", "What did you notice while it was happening, and how did you adjust there and then?"),
        ("Reflection on action", "Looking back now, what do you understand that you could not see at the time?"),
    ),
    _t(
        "cpd", "The CPD cycle", "Reflect on a need, plan the learning, act, then evaluate what changed.",
        ("Reflect", "What do you need to learn or develop, and why now?"),
        ("Plan", "How will you learn it: course, reading, supervision, practice?"),
        ("Act", "What did you do? Dates, hours, what you learned."),
        ("Evaluate", "What has changed in your practice? What next?"),
    ),
    _t(
        "prompt-card", "Prompt card: stepping into a picture",
        "Imagine yourself into a picture or situation, and name the emotions you find there.",
        ("The picture", "Describe the picture or situation you chose: a photograph, a painting, a scene from your week."),
        ("Stepping in", "Imagine yourself into it as one of the people there. Where are you? What do you see, hear, want?"),
        ("Their emotions", "Name what they might feel, as precisely as you can (e.g. afraid, ashamed, lonely, relieved, tender, furious)."),
        ("My emotions", "Stepping back out: what do you feel now, and where in your body?"),
        ("What I take to practice", "What does this tell you about the people you work with, or about yourself?"),
    ),
)

_BY_NAME = {t.name: t for t in TEMPLATES}
_ALIASES = {"schoen": "schon", "prompt": "prompt-card", "card": "prompt-card", "none": "free"}
TEMPLATE_NAMES = tuple(_BY_NAME)

EDITOR_HELP = (
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
        raise InputError(f"unknown template {name!r}", "use one of " + ", ".join(TEMPLATE_NAMES))
    return _BY_NAME[key]


def editor_text(template: Template) -> str:
    """What the editor opens with: a help comment, then each heading and its question."""
    parts = [EDITOR_HELP, ""]
    for section in template.sections:
        parts += [f"## {section.heading}", f"<!-- {section.question} -->", "", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def show_text(template: Template) -> str:
    """The template for reading (``journal templates NAME``): headings with questions in plain text."""
    lines = [f"# {template.title}", "", template.description]
    for section in template.sections:
        lines += ["", f"## {section.heading}", section.question]
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
