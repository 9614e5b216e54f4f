"""A realistic demo journal: three years of a UK trainee counsellor's record.

Sam Rivers starts a counselling diploma in September: weekly personal therapy with the same
therapist (breaks at Christmas, Easter and in August), a community placement from the first
winter and a student-wellbeing placement from the second year, fortnightly individual and
monthly group supervision, a few CPD days and a few dozen reflections written with the
reflective models of :mod:`journal.templates`. The same seed gives the same journal.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from journal.db import Journal, open_journal
from journal.encryption import CipherKey
from journal.entries import ReflectionInput, SessionInput, add_reflection, add_session
from journal.errors import JournalError
from journal.i18n import _

ZONE = ZoneInfo("Europe/London")
PRACTITIONER = "Sam Rivers"
THERAPIST = "Dr Helen Marsh"
SUPERVISOR = "Alice Moreno"
GROUP_SUPERVISOR = "Raj Patel"
PROFILES = "bacp-student,ukcp-trainee-therapy"
SUPERVISOR_LOGIN = ("supervisor", "demo-supervisor")
RIVERSIDE = "Riverside Counselling Service"
NORTHGATE = "Northgate University Student Wellbeing"


@dataclass
class DemoSummary:
    counts: dict[str, int]
    supervisor: tuple[str, str]
    backup: Path | None = None  # where entries of your own were kept before --force replaced them


@dataclass
class Logged:
    """A session written so far, for reflections to refer to."""

    id: int
    kind: str
    at: datetime
    minutes: int
    client: str | None = None
    setting: str | None = None
    title: str | None = None
    format: str | None = None


# --- the calendar --------------------------------------------------------------------------


def easter(year: int) -> date:
    from dateutil.easter import easter as western_easter

    return western_easter(year)


def christmas_break(day: date) -> bool:
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3)


def easter_break(day: date) -> bool:
    sunday = easter(day.year)
    return sunday - timedelta(days=2) <= day <= sunday + timedelta(days=1)


def therapist_away(day: date) -> bool:
    """Helen takes Christmas, Easter and the first two weeks of August."""
    return christmas_break(day) or easter_break(day) or (day.month == 8 and day.day <= 14)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    from journal.dates import localize

    return localize(datetime.combine(day, time(hour, minute)), ZONE)


def weekly(first: date, last: date, weekday: int):
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += timedelta(days=7)


def months_between(start: date, day: date) -> int:
    return (day.year - start.year) * 12 + day.month - start.month


# --- placements and clients ------------------------------------------------------------


@dataclass
class Placement:
    name: str
    start: date
    weekdays: tuple[int, ...]
    hours: tuple[int, ...]
    max_caseload: int
    sessions: tuple[int, int]  # how many sessions a client is offered (min, max)
    closed: Callable[[date], bool]
    modes: tuple[str, ...]
    prefix: str
    assessments: tuple[str, ...]  # the private note on a first session


@dataclass
class Client:
    code: str
    weekday: int
    hour: int
    planned: int
    done: int = 0


@dataclass
class Builder:
    journal: Journal
    rng: random.Random
    start: date
    end: date
    logged: list[Logged] = field(default_factory=list)
    next_client: int = 101

    def point(self, fraction: float) -> datetime:
        """20:00 on the day ``fraction`` of the way through the record."""
        return at(self.start + timedelta(days=round((self.end - self.start).days * fraction)), 20)

    def session(self, kind: str, when: datetime, minutes: int, **fields) -> Logged:
        record = add_session(self.journal, SessionInput(kind=kind, minutes=minutes, at=when, source="demo",
                                                        **fields))
        entry = Logged(record["id"], kind, when, minutes, record["client"], record["setting"],
                       record["title"], record["format"])
        self.logged.append(entry)
        return entry

    def therapy(self) -> None:
        for day in weekly(self.start, self.end, 1):
            if therapist_away(day) or self.rng.random() < 0.02:
                continue
            mode = "video" if self.rng.random() < 0.08 else "in-person"
            self.session("therapy", at(day, 18), 50, person=THERAPIST, mode=mode)

    def supervision(self, placement_start: date) -> None:
        for number, day in enumerate(weekly(placement_start, self.end, 3)):
            if number % 2 or christmas_break(day) or (day.month == 8 and day.day > 7):
                continue
            self.session("supervision", at(day, 10), 60, person=SUPERVISOR,
                         mode="video" if number % 6 == 4 else "in-person")
        month = date(placement_start.year, placement_start.month, 1)
        while month <= self.end:
            day = next(weekly(month, month + timedelta(days=6), 2))
            if month.month != 8 and placement_start <= day <= self.end:
                self.session("supervision", at(day, 14), 120, person=GROUP_SUPERVISOR, format="group",
                             group_size=4, mode="in-person", setting=RIVERSIDE)
            month = (month + timedelta(days=32)).replace(day=1)

    def caseload(self, placement: Placement) -> None:
        clients: list[Client] = []
        for monday in weekly(placement.start, self.end, 0):
            months = months_between(placement.start, monday)
            target = min(1 + months // 3, placement.max_caseload)
            while len(clients) < target and self.rng.random() < 0.5:
                clients.append(self._new_client(placement, clients))
            for client in list(clients):
                day = monday + timedelta(days=client.weekday)
                if day > self.end or placement.closed(day) or (client.done and self.rng.random() < 0.07):
                    continue
                client.done += 1
                first, last = client.done == 1, client.done == client.planned
                self.session(
                    "practice", at(day, client.hour), 50, client=client.code, setting=placement.name,
                    mode=self.rng.choice(placement.modes),
                    title="Assessment" if first else "Final session" if last else None,
                    tags=["assessment"] if first else ["ending"] if last else [],
                    note=self._note(placement, first, last),
                )
                if last:
                    clients.remove(client)

    def _new_client(self, placement: Placement, clients: list[Client]) -> Client:
        taken = {(c.weekday, c.hour) for c in clients}
        free = [(d, h) for d in placement.weekdays for h in placement.hours if (d, h) not in taken]
        weekday, hour = self.rng.choice(free)
        code = f"{placement.prefix}{self.next_client:03d}"
        self.next_client += 1
        return Client(code, weekday, hour, self.rng.randint(*placement.sessions))

    def _note(self, placement: Placement, first: bool, last: bool) -> str | None:
        if first:
            return self.rng.choice(placement.assessments)
        if last:
            return "Ending reviewed; client knows how to self-refer again."
        return self.rng.choice(SESSION_NOTES) if self.rng.random() < 0.08 else None


COMMUNITY_ASSESSMENTS = (
    "Assessment: low mood since redundancy; no current risk; agreed weekly sessions with a review at six.",
    "Assessment: anxiety and panic on the bus to work; GP aware; agreed twelve sessions.",
    "Assessment: bereavement (mother, last year); sleeping badly; no risk indicators.",
    "Assessment: relationship breakdown, feeling isolated; passive thoughts, no plan; safety plan agreed.",
    "Assessment: long-standing low self-worth; wants to understand patterns in relationships.",
)
STUDENT_ASSESSMENTS = (
    "Assessment: exam stress and homesickness; first time in counselling; six sessions agreed.",
    "Assessment: panic before seminars; sleeping badly; no risk; focus on the next six weeks.",
    "Assessment: friendship group fell apart; feeling isolated in halls; no risk indicators.",
    "Assessment: questioning whether to stay on the course; family pressure; six sessions agreed.",
)
SESSION_NOTES = (
    "Quieter today; long silences that felt productive.",
    "Spoke about father for the first time.",
    "Arrived late and apologised a lot; noticed my urge to reassure.",
    "Reviewed goals; feels work is helping with sleep.",
    "Some anger at the agency's session limit; stayed with it.",
    "Brought a dream; did not interpret, stayed with the feeling.",
    "Risk reviewed: no change, safety plan still in place.",
)

CPD_DAYS = (
    (0.27, "Safeguarding adults and children", 180, ("safeguarding",)),
    (0.51, "Suicide risk: assessment and safety planning", 360, ("risk", "suicide")),
    (0.66, "Working online and by phone", 180, ("online",)),
    (0.74, "Trauma-informed practice: an introduction", 360, ("trauma",)),
    (0.82, "Working with shame", 360, ("shame",)),
    (0.92, "Record keeping and GDPR for counsellors", 120, ("records",)),
)


# --- reflections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A reflection: when (a fraction of the record), its template, what it is on, its text."""

    when: float
    template: str
    on: str | None  # a key of _target's table, or cpd:TITLE
    title: str
    tags: tuple[str, ...]
    shared: bool
    sections: tuple[str, ...]


SCENES = (
    Scene(0.02, "free", "therapy", "Starting therapy as a trainee", ("personal-therapy",), False, (
        "First session with Helen today. I had rehearsed what I would say on the bus and then said none of "
        "it. I noticed how much I wanted to be a good client, which is a strange thing to want. Helen asked "
        "what brought me, and I gave the course requirement as the reason before admitting that I have "
        "wanted to talk to someone since Dad's illness.\n\nI left feeling lighter and slightly exposed. "
        "Something to notice: how quickly I try to make the other person comfortable.",)),
    Scene(0.06, "gibbs", None, "Skills triad: being the counsellor for the first time",
          ("skills-practice", "anxiety"), False, (
        "In the Tuesday skills triad I took the counsellor role for twenty minutes with Priya as client and "
        "Tom observing. Priya brought a real but manageable issue about her sister's wedding.",
        "I was anxious from the start and aware of my heart rate. Each silence felt enormous and I filled "
        "two of them with questions I did not need to ask. When Priya became tearful I felt a pull to "
        "reassure her.",
        "My reflections of feeling were accurate when I slowed down; Priya said she felt heard when I said "
        "that she sounded caught between loyalty and resentment. I interrupted a silence that Tom thought "
        "was productive.",
        "Rogers' point that congruence matters more than technique makes sense of this: I was performing "
        "counselling rather than being present. My discomfort with silence is mine, not the client's, and "
        "probably older than this course.",
        "Silence is not a failure to be fixed. I can trust the client to use the space.",
        "Next triad I will count to five before speaking into a silence, and ask Tom to note any question "
        "that comes from my anxiety rather than from the client. The wish to reassure goes to therapy.",
    )),
    Scene(0.12, "rolfe", "therapy", "Noticing my rescuing", ("personal-therapy", "rescuing"), False, (
        "In therapy we came back to my habit of stepping in when other people are distressed. Helen pointed "
        "out that I apologised three times in ten minutes for 'going on'.",
        "If I cannot bear my own distress being seen, I will struggle to stay with a client's without "
        "rushing to fix it. The rescuing manages my anxiety, not theirs.",
        "Keep noticing the apologies. Once I start on placement, bring the rescuing pattern to supervision "
        "so that Alice can help me catch it in the room.",
    )),
    Scene(0.17, "gibbs", "assessment", "My first client assessment", ("assessment", "placement"), True, (
        "First assessment at Riverside with {client}. We went through the agency agreement, confidentiality "
        "and its limits, and what brought them: low mood since a redundancy in the spring. We agreed twelve "
        "sessions with a review at six.",
        "Nervous beforehand; I reread the assessment form three times. Once we started I felt steadier than "
        "I expected, until {client} asked how long I had been doing this and I felt a flash of inadequacy.",
        "The contracting went well and {client} asked good questions about notes. I treated the risk "
        "questions as a checklist and lost the thread of the story for a while.",
        "The risk questions matter, but I read them out instead of weaving them in. The question about my "
        "experience touched my worry about being a trainee; I answered honestly and it did not seem to "
        "damage the alliance.",
        "Being honest about being a trainee is part of the contract, not a confession. Structure helps me, "
        "and I can hold it more lightly.",
        "Practise the risk questions in my own words before the next assessment. Take the 'how long have "
        "you been doing this' moment to supervision.",
    )),
    Scene(0.20, "rolfe", "supervision", "First individual supervision on placement", ("supervision",), True, (
        "My first session with Alice since starting at Riverside. I brought my first assessment and my "
        "worry that I had been mechanical with the risk questions.",
        "Alice suggested that asking about risk plainly is itself containing for clients, and that my "
        "discomfort may say something about how frightening the subject is for me. I had expected to be "
        "judged and found myself curious instead.",
        "Prepare a short case summary before each supervision so that we use the hour well. Reread the "
        "agency's risk policy and ask the duty manager about the escalation route.",
    )),
    Scene(0.22, "rolfe", "practice", "Notes and confidentiality", ("records", "ethics"), True, (
        "{client} asked to see what I write about them.",
        "I felt caught out, although my notes are brief and factual. It reminded me that the notes are the "
        "client's information as much as the agency's.",
        "Explain note keeping at assessment from now on, and check the agency's procedure for subject "
        "access requests.",
    )),
    Scene(0.25, "schon", "practice", "Staying with silence", ("silence",), True, (
        "Fourth session with {client}. Halfway through they stopped talking and looked out of the window "
        "for what felt like a long time.",
        "I noticed the urge to ask a question and the familiar tightness in my chest. I remembered the "
        "triad, kept my breathing slow and let the silence run. When {client} spoke again it was about "
        "their father, whom they had not mentioned before.",
        "The silence was where the work happened. Had I filled it, I think we would have stayed with the "
        "safer story about work. I could hold it only because I had practised noticing my anxiety instead "
        "of acting on it.",
    )),
    Scene(0.29, "cpd", "cpd:Safeguarding", "Safeguarding training", ("safeguarding",), True, (
        "Starting on placement showed me how vague my knowledge of safeguarding procedures was, "
        "especially for adults at risk.",
        "The agency's half-day safeguarding course, then the BACP good practice guidance on safeguarding.",
        "Three hours on a Saturday morning with volunteers and staff. We worked through case vignettes and "
        "the local referral pathway.",
        "I know who the designated lead is and what I would write down. The thought of a disclosure "
        "freezes me less; I can listen first and act second.",
    )),
    Scene(0.33, "kolb", "practice", "A missed session and my reaction", ("dna", "attachment"), False, (
        "{client} did not attend this morning and did not answer the agency's call. I stayed in the room "
        "for the full fifty minutes, as the policy asks.",
        "I was surprised how much I minded: first worry, then a kind of hurt, then a flicker of relief that "
        "I did not have to face a difficult session.",
        "Thinking about attachment, missing the session after one that came close to the material about "
        "their father may be a way of regulating closeness. My own mixture of hurt and relief mirrors it.",
        "When {client} returns I will name the missed session gently and wonder about it with them instead "
        "of letting it pass. My relief goes to supervision.",
    )),
    Scene(0.37, "rolfe", "group", "Group supervision: hearing other trainees", ("group-supervision",), True, (
        "In group supervision with Raj I presented for the first time: a client who talks constantly and "
        "leaves no room for me.",
        "Two colleagues said they felt tired just hearing the case, which helped me see that exhaustion is "
        "information, not a sign that I am doing it wrong. Raj wondered whether the talking keeps something "
        "unbearable at bay.",
        "Try commenting on the process as well as the content: 'I notice we move quickly from one thing to "
        "the next.' Report back next month.",
    )),
    Scene(0.41, "johns", "practice", "A client's anger at the agency", ("anger", "ethics"), True, (
        "Writing this a day later I still feel hot in the face. I notice that I want to prove I was fair.",
        "{client} arrived furious that the waiting list had been so long and that sessions are limited. "
        "Much of the anger came at me as the face of the service.",
        "I wanted to acknowledge the anger without defending the agency or apologising for it. I managed "
        "the first; I think I apologised too much.",
        "Anger aimed at me wakes an old habit of placating. I was more shaken than I showed.",
        "The session limit is real and I should not promise what the agency cannot give. Being honest "
        "about it respects {client}'s autonomy.",
        "The writing on ruptures and repair (Safran and Muran) suggests that surviving anger without "
        "retaliating or collapsing can strengthen the alliance.",
        "Next time I would say less and stay with the anger longer. I do not have to be liked in every "
        "session to be useful.",
    )),
    Scene(0.45, "rolfe", "therapy", "What therapy gives me on placement", ("personal-therapy",), False, (
        "Helen and I talked about the client who was angry with me. I cried, which surprised me.",
        "The tears were about being the target of someone's disappointment, which I have avoided all my "
        "life. Having somewhere to take that is why personal therapy matters in training.",
        "Keep using therapy for what the work stirs in me, and supervision for the client. Notice the "
        "difference.",
    )),
    Scene(0.47, "schon", "supervision", "Supervision and the parallel process", ("parallel-process",), True, (
        "I presented a client who keeps asking me for advice, and found myself asking Alice what I should "
        "do.",
        "Alice pointed out, kindly, that I was doing with her what my client does with me. I laughed, and "
        "then felt it land.",
        "Parallel process is not just a textbook idea. Noticing it gave me a way back into the client's "
        "helplessness without taking it over.",
    )),
    Scene(0.50, "gibbs", "practice", "A disclosure of suicidal thoughts", ("risk", "suicide"), True, (
        "In our ninth session {client} said that some nights they think everyone would be better off "
        "without them. We explored frequency, plans and protective factors: no plan, and strong ties to a "
        "niece. We agreed a safety plan and I told the duty manager afterwards, as the policy requires.",
        "My stomach dropped when I heard it. I was frightened of getting it wrong and, underneath, of being "
        "responsible for someone's life.",
        "I stayed calm and asked directly, as the training had prepared me to. I may have moved to the "
        "safety plan a little quickly, before {client} felt fully heard.",
        "Moving to action manages my fear. The training was clear that asking does not increase risk; my "
        "body still reacts as if it might.",
        "I followed the policy and kept the relationship. I could give the despair more room before "
        "planning.",
        "Book an extra supervision call this week. Review the safety plan at the start of the next session "
        "and ask how it felt to tell me.",
    )),
    Scene(0.53, "cpd", "cpd:Suicide risk", "Suicide risk assessment day", ("suicide", "risk"), True, (
        "After last month's disclosure I wanted a firmer grasp of risk assessment than the agency form "
        "gives.",
        "A one-day course on suicide risk assessment and safety planning, then reading on collaborative "
        "safety planning.",
        "Six hours, including role plays of asking directly about suicide. I practised until the words "
        "felt like mine.",
        "I am surer that asking is caring. I have rewritten my own short prompts for assessment and shared "
        "them with Alice.",
    )),
    Scene(0.56, "schon", "northgate-assessment", "Second placement: a short-term model", ("placement", "short-term"), True, (
        "My first session at the student wellbeing service, with {client}: exam anxiety, and six sessions "
        "to work with.",
        "I caught myself trying to cover everything in the first session, as if the limit were my enemy. "
        "I slowed down and asked what would make six sessions worthwhile.",
        "Short-term work needs a focus agreed early. That is not less deep; it is a different shape. At "
        "Riverside I had time to wander; here the ending is present from the start.",
    )),
    Scene(0.58, "kolb", "supervision", "Alice on self-disclosure", ("self-disclosure",), True, (
        "In supervision I described telling a client that I had also been anxious before exams. It felt "
        "natural at the time.",
        "Alice asked whose need the disclosure met. I felt defensive, then realised it had partly eased my "
        "own discomfort with their distress.",
        "Disclosure can help when it is brief, rare and returns the focus to the client. Mine was brief, "
        "but it moved the focus to me for a moment.",
        "Before disclosing anything I will ask myself 'for whom?', and if I do disclose, check how it "
        "landed.",
    )),
    Scene(0.60, "rolfe", "northgate", "Exam season", ("short-term", "anxiety"), False, (
        "{client} arrived late and breathless, three days before a resit exam, and spent the session "
        "listing everything that could go wrong.",
        "My own old exam dread rose and I became more directive than usual, offering a breathing technique "
        "within the first ten minutes.",
        "Next time ask what they already do that helps before reaching for techniques. Notice when my own "
        "history speeds me up.",
    )),
    Scene(0.62, "prompt-card", None, "Prompt card: the station platform", ("empathy", "prompt-card"), False, (
        "A photograph from the course pack: a woman on a railway platform with a small suitcase, watching "
        "a train leave. Late evening, nobody else around.",
        "I imagined myself as her: the cold through my coat, the suitcase lighter than I expected, knowing "
        "the next train is an hour away. I wanted someone to have waited with me.",
        "Abandoned, but also relieved; ashamed of having missed it; a thread of freedom, because no one is "
        "waiting for her either.",
        "A tightness in my throat. A loneliness I recognise from my first term in a new city.",
        "People can hold relief and grief together. When a client talks about someone leaving, I will "
        "listen for the relief as well as the loss, without deciding which one is real.",
    )),
    Scene(0.65, "rolfe", "practice", "Working by video", ("online",), True, (
        "{client} asked to move to video sessions after changing jobs. Today was our first session online.",
        "I missed the cues from posture and the shared quiet of the room, and a frozen screen at a key "
        "moment broke the thread. On the other hand {client} seemed freer at home.",
        "Agree what we do when the connection fails, check the privacy of their space at the start of each "
        "session, and go to the CPD workshop on working online.",
    )),
    Scene(0.67, "cpd", "cpd:Working online", "Working online and by phone", ("online",), True, (
        "Several clients now prefer video and I had never been trained for it.",
        "A three-hour workshop on online and telephone counselling, and the BACP guidance on working "
        "online.",
        "Contracting for online work, confidentiality at the client's end, and what to do when a session "
        "drops.",
        "I have a written online agreement and a plan for disconnection. My online sessions feel less "
        "improvised.",
    )),
    Scene(0.69, "prompt-card", None, "Prompt card: the kitchen table", ("empathy", "prompt-card", "grief"), False, (
        "A scene I imagined from a client's description: a kitchen table laid for two, one chair pushed in.",
        "I sat in the chair that was pulled out. Morning light, a kettle cooling. I kept listening for a "
        "second set of footsteps.",
        "Grief, and anger at being left with the ordinary tasks; guilt at the moments of peace.",
        "Heaviness in my chest, and memories of my grandmother's house after Grandad died.",
        "Bereaved clients may feel angry or relieved and be ashamed of it. I want to make room for every "
        "feeling without ranking them.",
    )),
    Scene(0.71, "gibbs", "ending", "A planned ending", ("ending",), True, (
        "Final session with {client}. We reviewed what had changed, from barely leaving the house to a "
        "part-time job, and what they will take with them.",
        "Sadness, pride, and a wish to offer 'just a few more sessions', which I did not act on.",
        "We began talking about the ending four sessions out, which gave the feelings room. I let {client} "
        "thank me without deflecting, which I used to find hard.",
        "Endings echo earlier losses, for clients and for me. Marking this one properly lets it be a good "
        "experience rather than another abandonment.",
        "A good ending is part of the work, not the absence of work.",
        "Keep a four-session runway for endings and write a short ending summary for the file.",
    )),
    Scene(0.73, "rolfe", "group", "Group: difference and power", ("difference", "group-supervision"), True, (
        "A colleague presented work with a client whose culture is very different from her own, and the "
        "group turned to our own blind spots.",
        "I realised how rarely I ask clients what their background means to them. I assume instead that it "
        "matters either a great deal or not at all.",
        "Add a question about identity and culture to my assessments, in my own words, and read Lago on "
        "race and culture in counselling.",
    )),
    Scene(0.76, "johns", "ending", "When a client brings a gift", ("boundaries", "ethics"), True, (
        "I feel warm and a little uneasy as I write this.",
        "At our last session {client} brought a small card and a box of tea.",
        "I wanted to receive it graciously without turning it into a transaction or a lecture on "
        "boundaries.",
        "Gifts make me feel seen, and also indebted, as though I must give something back.",
        "The agency allows small gifts with a note in the record. Refusing could have felt like a rejection "
        "at the very end of the work.",
        "The BACP Ethical Framework asks us to consider what a gift means to the client; there was a little "
        "time to explore that.",
        "I accepted it, and we talked briefly about what it meant to {client} to say thank you. I have "
        "recorded it and will mention it in supervision.",
    )),
    Scene(0.80, "kolb", "therapy", "Therapy: the end of training in view", ("personal-therapy", "ending"), False, (
        "Helen mentioned that I have been coming for more than two years now.",
        "I felt a jolt of panic at the thought of stopping, then embarrassment at the panic.",
        "It is the ending work I do with clients: the attachment is real, and the ending can be chosen "
        "rather than suffered.",
        "Talk with Helen about whether to continue after qualifying, and on what terms, rather than "
        "letting the course timetable decide.",
    )),
    Scene(0.83, "cpd", "cpd:Working with shame", "Working with shame", ("shame",), True, (
        "Shame keeps appearing in my client work and in my own therapy, usually unspoken.",
        "A one-day workshop on shame in the therapeutic relationship, then the chapter in my course reader.",
        "Six hours with exercises on recognising shame in the body: averted eyes, collapse, changing the "
        "subject.",
        "I spotted it twice the following week, with clients who laughed after saying something painful. "
        "Naming it gently slowed us both down.",
    )),
    Scene(0.86, "schon", "practice", "The laugh after the hard sentence", ("shame",), True, (
        "{client} described being humiliated by a teacher as a child and laughed as they finished the "
        "sentence.",
        "I noticed my own smile starting, a kind of collusion, and let it go. I said quietly that it did not "
        "sound funny. {client} went still, and then cried.",
        "The shame workshop gave me words for what I saw. Staying serious was a risk, and it let {client} "
        "feel their own story.",
    )),
    Scene(0.90, "gibbs", "supervision", "Review with Alice before qualifying", ("development",), True, (
        "Alice and I reviewed my development over the placement for the course portfolio.",
        "Proud, and exposed at hearing my growth described out loud.",
        "We agreed that my contracting, risk work and endings are solid; my edge is staying with anger and "
        "using the relationship in the room.",
        "The themes of my own therapy, placating and rescuing, are exactly my growing edges as a "
        "practitioner. That is no coincidence.",
        "I am a safe, developing practitioner who still needs supervision for the relational work.",
        "Note the moments when I catch myself placating in sessions and bring one each month to "
        "supervision.",
    )),
    Scene(0.94, "rolfe", "assessment", "A new client, a different me", ("assessment",), True, (
        "Assessment with {client}, my first new client since the summer.",
        "I was no longer watching myself ask the questions; I was listening to the person in front of me. "
        "The form stayed in the background.",
        "Keep this lightness while checking that I still cover risk fully. Next month, review my "
        "assessment notes with Alice.",
    )),
    Scene(0.97, "free", None, "Three years on", ("development",), False, (
        "Reading back over three years of this journal: the early entries are full of my heart rate, my "
        "silences, my fear of being found out. The later ones are about clients. That feels like the shape "
        "of training.\n\nI still rescue, but I notice it sooner. Helen, Alice and Raj have each held a piece "
        "of this. Next: the accreditation route, and finding a supervisor for private practice.",)),
)


def reflection_body(scene: Scene, client: str | None) -> str:
    """The scene's text under its template's headings; a shared one names no client code."""
    from journal.templates import get_template

    sections = get_template(scene.template).sections
    if sections and len(sections) != len(scene.sections):
        raise ValueError(f"scene {scene.title!r} does not fit the {scene.template} template")
    texts = [_name_client(text, client, scene.shared) for text in scene.sections]
    if not sections:
        return texts[0]
    return "\n\n".join(f"## {s.heading}\n\n{text}" for s, text in zip(sections, texts))


def _name_client(text: str, client: str | None, shared: bool) -> str:
    def name(match: re.Match) -> str:
        start_of_sentence = match.start() == 0 or text[: match.start()].rstrip().endswith((".", "!", "?"))
        if client and not shared:
            return client
        return "My client" if start_of_sentence else "my client"

    return re.sub(r"\{client\}", name, text)


def _target(builder: Builder, scene: Scene) -> Logged | None:
    """The session a scene reflects on: the first that fits on or after its point in time."""
    if scene.on is None:
        return None
    wanted: Callable[[Logged], bool] = {
        "therapy": lambda s: s.kind == "therapy",
        "supervision": lambda s: s.kind == "supervision" and s.format != "group",
        "group": lambda s: s.kind == "supervision" and s.format == "group",
        "practice": lambda s: s.kind == "practice" and s.title is None,
        "assessment": lambda s: s.kind == "practice" and s.title == "Assessment",
        "ending": lambda s: s.kind == "practice" and s.title == "Final session",
        "northgate": lambda s: s.kind == "practice" and s.setting == NORTHGATE and s.title is None,
        "northgate-assessment": lambda s: s.setting == NORTHGATE and s.title == "Assessment",
    }.get(scene.on) or (lambda s: s.kind == "cpd" and (s.title or "").startswith(scene.on[4:]))
    moment = builder.point(scene.when)
    fits = [s for s in builder.logged if wanted(s)]
    later = [s for s in fits if s.at >= moment]
    return min(later, key=lambda s: s.at) if later else (max(fits, key=lambda s: s.at) if fits else None)


def fill(journal: Journal, start: date, end: date, seed: int) -> None:
    """Write the whole record between ``start`` and ``end`` (the caller holds the transaction)."""
    rng = random.Random(seed)
    builder = Builder(journal, rng, start, end)
    builder.therapy()
    riverside_start = start + timedelta(days=120)
    builder.supervision(riverside_start)
    builder.caseload(Placement(
        RIVERSIDE, riverside_start, (0, 2), (10, 11, 13, 17), 3, (8, 24),
        lambda d: christmas_break(d) or (d.month == 8 and 7 < d.day <= 21), ("in-person",) * 6 + ("video",),
        "C", COMMUNITY_ASSESSMENTS,
    ))
    builder.caseload(Placement(
        NORTHGATE, start + timedelta(days=400), (3, 4), (11, 13, 15), 3, (4, 8),
        lambda d: christmas_break(d) or easter_break(d) or d.month in (7, 8) or (d.month == 9 and d.day < 20),
        ("in-person",) * 3 + ("video", "phone"), "S", STUDENT_ASSESSMENTS,
    ))
    for fraction, title, minutes, tags in CPD_DAYS:
        day = builder.point(fraction).date()
        day += timedelta(days=(5 - day.weekday()) % 7)  # the Saturday after
        if day <= end:
            builder.session("cpd", at(day, 9, 30), minutes, title=title, tags=list(tags), mode="in-person")
    for scene in SCENES:
        target = _target(builder, scene)
        when = (target.at + timedelta(minutes=target.minutes + rng.randint(60, 180))) if target else builder.point(scene.when)
        if when.date() > end:
            continue
        add_reflection(journal, ReflectionInput(
            body=reflection_body(scene, target.client if target else None), at=when, title=scene.title,
            template=scene.template, on=target.id if target else None, tags=list(scene.tags), source="demo",
            shared=scene.shared and not (target and target.kind == "therapy"),
        ))


def training_start(end: date, years: int) -> date:
    """The course starts on the Monday after 8 September nearest to ``years`` years before ``end``
    (at least six months before it)."""
    from dateutil.relativedelta import relativedelta

    back = end - relativedelta(years=years)
    septembers = [date(year, 9, 8) for year in (back.year - 1, back.year)]
    day = min((d for d in septembers if d <= end - timedelta(days=180)), key=lambda d: abs(d - back))
    return day + timedelta(days=(7 - day.weekday()) % 7)


def build_demo(path: Path, *, years: int = 3, seed: int = 2024, force: bool = False,
               end: date | None = None, key: CipherKey | None = None) -> DemoSummary:
    """Write the demo journal at ``path`` in one transaction; refuse a journal with entries unless ``force``.

    ``key``: the journal is encrypted, and the demo written in its place is encrypted alike."""
    from journal.settings import set_setting
    from journal.supervisor.logins import add_supervisor

    path = Path(path)
    backup = _make_room(path, force, key)
    end = end or datetime.now(ZONE).date() - timedelta(days=1)
    start = training_start(end, years)
    journal = open_journal(path, key=key)
    try:
        with journal.transaction():
            fill(journal, start, end, seed)
            for key, value in (("practitioner", PRACTITIONER), ("timezone", "Europe/London"),
                               ("training_start", start.isoformat()), ("profiles", PROFILES)):
                set_setting(journal, key, value)
            add_supervisor(journal, *SUPERVISOR_LOGIN)
        counts = dict(journal.execute(
            "SELECT kind, count(*) FROM entries GROUP BY kind ORDER BY min(id)").fetchall())
    finally:
        journal.close()
    return DemoSummary(counts, SUPERVISOR_LOGIN, backup)


def _make_room(path: Path, force: bool, key: CipherKey | None) -> Path | None:
    """Refuse a journal that has entries, unless ``force``, which starts a fresh file. Entries
    that the demo did not write are first copied to a backup beside it, whose path is returned."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    journal = open_journal(path, create=False, key=key)
    try:
        count, own = journal.execute(
            "SELECT count(*), count(*) FILTER (WHERE source IS NOT 'demo') FROM entries").fetchone()
        if count and not force:
            raise JournalError(_("{path} already has {count} entries; nothing was written").format(path=path, count=count),
                               _("use --db demo.db for a separate file, or --force to replace this one"))
        backup = None
        if own:
            from journal.migrations import backup_to

            stamp = datetime.now(ZONE).strftime("%Y%m%dT%H%M%S")
            backup = backup_to(journal.conn, path.with_name(f"{path.name}.before-demo-{stamp}.bak"), key)
    finally:
        journal.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return backup
