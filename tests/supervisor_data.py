"""A journal for the supervisor-report tests: shared records, and a canary in every private field."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from journal.db import Journal
from journal.entries import ReflectionInput, SessionInput, add_reflection, add_session
from journal.settings import set_setting
from journal.supervisor.logins import add_supervisor

# Lower-case, and left alone by the porter stemmer, so it shows in an FTS index's bytes too.
CANARY = "xqzcanaryqx"
SHARED_WORD = "ruptureandrepair"  # appears only in shared reflections: the positive control
SUPERVISOR, PASSWORD = "alice", "correct horse battery"
ZONE = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def secret(field: str) -> str:
    return f"{CANARY} {field}"


def stored_name_on_client_work(journal: Journal, name: str, entry_id: int) -> None:
    """A name on a practice session, as versions before issue 10 let `--with` store one (today
    `journal log practice --with` is refused): such journals exist and must not leak it."""
    from journal.names import name_key

    with journal.transaction():
        person_id = journal.execute("INSERT INTO people(name, key) VALUES (?, ?)", (name, name_key(name))).lastrowid
        journal.execute("UPDATE entries SET person_id = ? WHERE id = ?", (person_id, entry_id))


def build(journal: Journal) -> dict[str, int]:
    """Fill ``journal``; returns ids of a few entries the tests refer to."""
    with journal.transaction():
        set_setting(journal, "practitioner", "Sam Rivers")
        set_setting(journal, "training_start", "2025-09-01")
    add_supervisor(journal, SUPERVISOR, PASSWORD)

    def session(kind: str, minutes: int, when: str, **fields) -> int:
        return add_session(journal, SessionInput(kind=kind, minutes=minutes, at=at(when), **fields), confirm=None)["id"]

    ids = {}
    # Personal therapy: only date, length, therapist and mode may leave.
    ids["therapy"] = session(
        "therapy", 50, "2026-01-05 18:00", person="Dr Martin", mode="video", title=secret("therapy title"),
        setting=secret("therapy setting"), note=secret("therapy note"), tags=[secret("therapy tag")],
    )
    session("therapy", 50, "2026-01-12 18:00", person="Dr Martin", mode="in-person", note=secret("note 2"))
    session("therapy", 50, "2025-10-06 18:00", person="Dr Martin", mode="in-person")
    # Supervision: 1.5 h in January, 1 h in February (short), none in March (short).
    session("supervision", 90, "2026-01-07 10:00", person="Alice", mode="video", note=secret("sup note"))
    session("supervision", 60, "2026-02-04 10:00", person="Alice", format="group", group_size=4,
            title=secret("sup title"), tags=[secret("sup tag")])
    # Practice with client codes (published only with --client-codes) and settings (never).
    ids["practice"] = session("practice", 50, "2026-01-08 09:00", client="C014", setting=secret("clinic"),
                              note=secret("client note"), paid=True, mode="in-person", card=f"{CANARY}-card")
    stored_name_on_client_work(journal, f"{CANARY} Client Name Typed By Mistake", session(
        "practice", 50, "2026-03-02 09:00", client=f"{CANARY.upper()}7", paid=False, mode="phone",
        note=secret("client note 2")))
    session("cpd", 180, "2026-02-20 09:00", title=secret("cpd title"), person="Trainer Tess")
    # A session kept private, and the only one with this person: the person must not leave.
    stored_name_on_client_work(journal, f"{CANARY} Private Person",
                               session("practice", 50, "2026-02-10 09:00", shared=False))
    # A deleted shared session and a deleted shared reflection.
    deleted = session("supervision", 45, "2026-03-05 10:00", person=f"{CANARY} Deleted Person")
    ids["shared_reflection"] = add_reflection(journal, ReflectionInput(
        body=f"# Description\nWe worked on {SHARED_WORD} after a hard session.\n\n## Feelings\nTired <b>but</b> hopeful.",
        at=at("2026-01-09 20:00"), title="After the January supervision", template="gibbs",
        on=ids["practice"], tags=["ruptures"], shared=True, emotions=["shame", "hope"],
    ))["id"]
    add_reflection(journal, ReflectionInput(
        body=f"Second shared note about {SHARED_WORD} and endings.", at=at("2026-02-11 20:00"),
        title="Endings", shared=True,
    ))
    add_reflection(journal, ReflectionInput(
        body=secret("private reflection body"), at=at("2026-01-10 20:00"), title=secret("private title"),
        tags=[secret("private tag")], card=f"{CANARY}-reflection-card", exercise="story",
        emotions=[f"{CANARY}-private-emotion"],
    ))
    gone = add_reflection(journal, ReflectionInput(
        body=secret("deleted shared reflection"), at=at("2026-01-11 20:00"), title=secret("deleted title"),
        shared=True, emotions=[f"{CANARY}-deleted-emotion"],
    ))["id"]
    on_therapy = add_reflection(journal, ReflectionInput(
        body=secret("reflection on my own therapy"), at=at("2026-01-06 20:00"), on=ids["therapy"],
        emotions=[f"{CANARY}-therapy-emotion"],
    ))["id"]
    on_on_therapy = add_reflection(journal, ReflectionInput(
        body=secret("reflection on a reflection about my therapy"), at=at("2026-01-07 20:00"), on=on_therapy,
    ))["id"]
    with journal.transaction():
        journal.execute("UPDATE entries SET deleted_at = '2026-03-06T00:00:00Z' WHERE id IN (?, ?)",
                        (deleted, gone))
        # Marked shared by some other path (an old import, a hand edit): must still stay private.
        journal.execute("UPDATE entries SET shared = 1 WHERE id IN (?, ?)", (on_therapy, on_on_therapy))
    return ids


def csrf_token(html: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)
