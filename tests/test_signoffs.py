"""Countersignatures from a terminal, their status after changes, the bundle and `journal verify`.

Every signature here is real Ed25519 over the documented canonical form; the tampering tests
change bytes of real signatures and statements, and replay them onto other months and journals.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import create_journal
from journal.db import open_journal
from journal.paths import is_encrypted
from journal.signoffs.canonical import canonical_json
from journal.signoffs.keys import b64
from snapshots import at_path
from supervisor_data import CANARY, PASSWORD, SUPERVISOR, build

MARCH = "2026-03"


def log(run, *args):
    result = run("log", *args)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def signed(run, request, db_path):
    """A journal with March and April sessions, alice's login, and March countersigned by alice;
    the signing's JSON. Encrypted when the test also asks for the ``storage`` fixture and it says
    so; a plain one is built once, then copied (see snapshots.py)."""
    if "storage" in request.fixturenames and request.getfixturevalue("storage") == "encrypted":
        create_journal(db_path, "encrypted")
        return sign_march(run)
    return at_path("test_signoffs.signed", db_path, lambda: sign_march(run))


def sign_march(run) -> dict:
    assert run("init", "--name", "Sam Rivers").exit_code == 0
    log(run, "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Alice")
    log(run, "practice", "50m", "--at", "2026-03-04 09:00", "--client", "C1")
    log(run, "therapy", "50m", "--at", "2026-03-05 18:00", "--with", "Dr Martin")
    log(run, "practice", "50m", "--at", "2026-03-06 09:00", "--private")
    log(run, "supervision", "1h", "--at", "2026-04-02 10:00", "--with", "Alice")
    assert run("supervisor", "add", SUPERVISOR, "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    result = run("signoffs", "sign", MARCH, "--supervisor", SUPERVISOR, "--password-stdin", "--comment",
                 "A steady month", "--json", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    return result.json()


def signoffs(run) -> list[dict]:
    result = run("signoffs", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_signed_month_is_valid_with_its_supervisor_key_and_comment(run, storage, signed, db_path):
    assert is_encrypted(db_path) == (storage == "encrypted")
    fingerprint = run("supervisor", "list", "--json").json()[0]["fingerprint"]
    [row] = signoffs(run)
    assert {key: row[key] for key in ("period", "supervisor", "fingerprint", "comment", "status", "changes")} == {
        "period": MARCH, "supervisor": SUPERVISOR, "fingerprint": fingerprint, "comment": "A steady month",
        "status": "valid", "changes": []}
    assert row["signed_at"].endswith("Z")
    table = run("signoffs").stdout
    assert "2026-03" in table and "valid" in table and "A steady month" in table
    log(run, "supervision", "1h", "--at", "2026-03-20 10:00", "--with", "Alice")
    [row] = signoffs(run)  # the digest is read from the (encrypted) journal again, not remembered
    assert (row["status"], [change["change"] for change in row["changes"]]) == ("changed", ["added"])


def test_a_wrong_password_signs_nothing(run, signed):
    result = run("signoffs", "sign", "2026-04", "--supervisor", SUPERVISOR, "--password-stdin", input="not it\n")
    assert result.exit_code == 1
    assert result.stderr == "Error: wrong password for alice; nothing was signed; type their password again\n"
    assert [row["period"] for row in signoffs(run)] == [MARCH]


@pytest.mark.parametrize("args, code, message", [
    (["2026-13"], 2, "Error: '2026-13' is not a period; type a month such as 2026-03, or a range such as "
                     "2026-03-01..2026-03-15\n"),
    (["2026-03-20..2026-03-01"], 2, "Error: the period 2026-03-20..2026-03-01 starts after it ends; swap the two dates\n"),
    (["2099-01"], 2, "Error: 2099-01 has not ended yet (it ends on 2099-01-31); countersign a period once it is over\n"),
    (["2025-01"], 1, "Error: no shared sessions in 2025-01; nothing to countersign; pick a period with shared "
                     "sessions (`journal report --by month`)\n"),
    (["2026-03", "--supervisor", "bob"], 1, "Error: no supervisor login 'bob'; known logins: alice\n"),
])
def test_signing_errors_are_one_line_and_sign_nothing(run, signed, args, code, message):
    if "--supervisor" not in args:
        args = [*args, "--supervisor", SUPERVISOR]
    result = run("signoffs", "sign", *args, "--password-stdin", input=PASSWORD + "\n")
    assert (result.exit_code, result.stderr) == (code, message)
    assert len(signoffs(run)) == 1


def test_a_date_range_can_be_signed(run, signed):
    result = run("signoffs", "sign", "2026-03-01..2026-03-04", "--supervisor", SUPERVISOR, "--password-stdin",
                 input=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    assert [(row["period"], row["status"]) for row in signoffs(run)] == [("2026-03", "valid"),
                                                                         ("2026-03-01..2026-03-04", "valid")]
    log(run, "supervision", "30m", "--at", "2026-03-04 15:00")  # inside both
    log(run, "cpd", "2h", "--at", "2026-03-20 09:00")  # inside March only
    assert [row["status"] for row in signoffs(run)] == ["changed", "changed"]
    assert [len(row["changes"]) for row in signoffs(run)] == [2, 1]


def test_edits_in_the_month_show_as_changes_by_session_id(run, signed):
    ids = {row["date"]: row["id"] for row in run("list", "--json", "-n", "0").json()}
    assert run("edit", str(ids["2026-03-04"]), "--duration", "55m").exit_code == 0
    assert run("rm", str(ids["2026-03-05"])).exit_code == 0
    added = log(run, "cpd", "2h", "--at", "2026-03-20 09:00", "--json").json()["id"]
    assert run("edit", str(ids["2026-04-02"]), "--duration", "2h").exit_code == 0  # April: not signed
    [row] = signoffs(run)
    assert row["status"] == "changed"
    assert [(c["id"], c["change"], c["kind"]) for c in row["changes"]] == [
        (ids["2026-03-04"], "edited", "practice"), (ids["2026-03-05"], "removed", "therapy"),
        (added, "added", "cpd")]
    described = f"edited #{ids['2026-03-04']}, removed #{ids['2026-03-05']}, added #{added}"
    assert described in run("signoffs").stdout and f'"{described}"' in run("signoffs", "--csv").stdout
    # Undone, the sessions give the signed digest again.
    assert run("edit", str(ids["2026-03-04"]), "--duration", "50m").exit_code == 0
    assert run("restore", str(ids["2026-03-05"])).exit_code == 0
    assert run("rm", str(added)).exit_code == 0
    assert signoffs(run)[0]["status"] == "valid"


def test_making_a_session_private_or_moving_it_out_changes_the_month(run, signed):
    ids = {row["date"]: row["id"] for row in run("list", "--json", "-n", "0").json()}
    assert run("edit", str(ids["2026-03-03"]), "--private").exit_code == 0
    assert [(c["id"], c["change"]) for c in signoffs(run)[0]["changes"]] == [(ids["2026-03-03"], "removed")]
    assert run("edit", str(ids["2026-03-03"]), "--share").exit_code == 0
    assert run("edit", str(ids["2026-03-04"]), "--at", "2026-04-04 09:00").exit_code == 0
    assert [(c["id"], c["change"]) for c in signoffs(run)[0]["changes"]] == [(ids["2026-03-04"], "removed")]
    assert run("edit", str(ids["2026-03-06"]), "--share").exit_code == 0  # a private session now shared
    assert [c["change"] for c in signoffs(run)[0]["changes"]] == ["removed", "added"]


def test_edit_rm_and_import_warn_before_writing_in_a_countersigned_month(run, signed, tmp_path):
    ids = {row["date"]: row["id"] for row in run("list", "--json", "-n", "0").json()}
    day = signed["signed_at"][:10]
    warning = f"in 2026-03, countersigned by alice on {day}; the countersignature will show as changed"
    edited = run("edit", str(ids["2026-03-04"]), "--duration", "55m")
    assert edited.exit_code == 0 and warning in edited.stderr
    assert warning in run("rm", str(ids["2026-03-05"])).stderr
    assert warning in run("restore", str(ids["2026-03-05"])).stderr
    moved_in = run("edit", str(ids["2026-04-02"]), "--at", "2026-03-30 10:00")  # from April into March
    assert warning in moved_in.stderr
    assert warning in run("edit", str(ids["2026-04-02"]), "--at", "2026-04-02 10:00").stderr  # and out again
    csv = tmp_path / "hours.csv"
    csv.write_text("date,start,duration,kind\n2026-03-25,10:00,60,supervision\n2026-05-25,10:00,60,supervision\n")
    imported = run("import", "csv", str(csv))
    assert imported.exit_code == 0 and warning in imported.stderr
    assert signoffs(run)[0]["status"] == "changed"  # nothing was refused
    april = tmp_path / "april.csv"
    april.write_text("date,start,duration,kind\n2026-05-26,10:00,60,supervision\n")
    assert "countersigned" not in run("import", "csv", str(april)).stderr
    assert "countersigned" not in run("edit", str(ids["2026-03-04"]), "--title", "only the title").stderr


def bundle(run, tmp_path, name="bundle.json") -> tuple[dict, bytes]:
    path = tmp_path / name
    result = run("signoffs", "export", str(path))
    assert result.exit_code == 0, result.stderr
    data = path.read_bytes()
    assert f"SHA-256 {hashlib.sha256(data).hexdigest()}" in result.stderr
    return json.loads(data), data


def verify(run, document: dict, tmp_path, *extra: str):
    path = tmp_path / "checked.json"
    path.write_text(json.dumps(document))
    return run("verify", str(path), *extra)


def test_a_bundle_verifies_before_an_edit_and_fails_after_naming_the_session(run, signed, tmp_path):
    before, _ = bundle(run, tmp_path, "before.json")
    ok = run("verify", str(tmp_path / "before.json"))
    assert ok.exit_code == 0 and "2026-03  valid" in ok.stdout
    practice = next(r["id"] for r in run("list", "--json", "-n", "0").json() if r["date"] == "2026-03-04")
    run("edit", str(practice), "--duration", "55m")
    assert run("verify", str(tmp_path / "before.json")).exit_code == 0  # the file holds what it held
    after, _ = bundle(run, tmp_path, "after.json")
    failed = run("verify", str(tmp_path / "after.json"))
    assert failed.exit_code == 1
    ref = after["periods"][MARCH][1]["id"]
    assert f"session {ref} (practice, 2026-03-04T09:00:00Z) edited" in failed.stdout
    assert "1 countersignature(s) changed or invalid: 2026-03 (changed)" in failed.stderr
    checked = run("verify", str(tmp_path / "after.json"), "--json")
    assert checked.exit_code == 1
    assert [(c["period"], c["status"], [(x["id"], x["change"]) for x in c["changes"]]) for c in checked.json()] == [
        (MARCH, "changed", [(ref, "edited")])]


def test_the_digest_is_recomputable_from_the_readme_alone(run, signed, tmp_path):
    """Sorted keys, no spaces, UTF-8, sessions ordered by start then id: SHA-256 of those bytes."""
    document, _ = bundle(run, tmp_path)
    sessions = document["periods"][MARCH]
    assert [s["kind"] for s in sessions] == ["supervision", "practice", "therapy"]  # shared only, by start
    assert sessions[0] == {"id": sessions[0]["id"], "kind": "supervision", "start": "2026-03-03T10:00:00Z",
                           "timezone": "Europe/London", "minutes": 60, "person": "Alice", "mode": None,
                           "format": "individual", "group_size": None}
    assert sessions[1]["person"] is None and "client" not in sessions[1]  # client codes were not published
    ordered = sorted(sessions, key=lambda s: (s["start"], s["id"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    statement = json.loads(document["signoffs"][0]["statement"])
    assert statement["digest"]["value"] == hashlib.sha256(text).hexdigest()
    assert statement["totals"] == {"hours": {"practice": 0.83, "supervision": 1.0, "therapy": 0.83},
                                   "credited_supervision_hours": 1.0}
    assert statement["practitioner"]["name"] == "Sam Rivers"


def test_the_bundle_and_the_statement_agree_and_the_bundle_is_stable(run, signed, tmp_path):
    _, first = bundle(run, tmp_path, "one.json")
    _, second = bundle(run, tmp_path, "two.json")
    assert first == second
    html = tmp_path / "statement.html"
    assert run("statement", "--out", str(html)).exit_code == 0
    text = html.read_text()
    assert hashlib.sha256(first).hexdigest() in text
    assert "countersigned by alice on" in text


@pytest.mark.parametrize("position", range(64))
def test_flipping_any_byte_of_a_signature_makes_it_invalid(run, signed, tmp_path, position):
    document, _ = bundle(run, tmp_path)
    raw = bytearray(base64.b64decode(document["signoffs"][0]["signature"]))
    raw[position] ^= 0x01
    document["signoffs"][0]["signature"] = b64(bytes(raw))
    result = verify(run, document, tmp_path, "--json")
    assert result.exit_code == 1
    assert [(c["status"], c["problem"]) for c in result.json()] == [("invalid", "the signature does not verify")]


def test_flipping_any_byte_of_the_statement_makes_it_invalid(run, signed, tmp_path):
    document, _ = bundle(run, tmp_path)
    statement = document["signoffs"][0]["statement"].encode()
    for position in range(0, len(statement), 7):
        changed = bytearray(statement)
        changed[position] ^= 0x01
        document["signoffs"][0]["statement"] = changed.decode("utf-8", "replace")
        result = verify(run, document, tmp_path, "--json")
        assert result.exit_code == 1 and result.json()[0]["status"] == "invalid", position


def test_a_signature_replayed_onto_another_month_is_invalid(run, signed, tmp_path):
    log(run, "supervision", "1h", "--at", "2026-02-03 10:00", "--with", "Alice")
    document, _ = bundle(run, tmp_path)
    statement = json.loads(document["signoffs"][0]["statement"])
    for month, start, end in (("2026-04", "2026-04-01", "2026-04-30"), ("2026-02", "2026-02-01", "2026-02-28")):
        replayed = dict(statement, period={"name": month, "start": start, "end": end})
        document["signoffs"][0]["statement"] = canonical_json(replayed).decode()
        result = verify(run, document, tmp_path, "--json")
        assert [(c["period"], c["status"]) for c in result.json()] == [(month, "invalid")]
    # The same replay inside the journal: a signature row whose statement names April.
    with _journal(tmp_path) as journal:
        with journal.transaction():
            journal.execute("UPDATE signoffs SET statement = ?, period = '2026-04'",
                            (canonical_json(dict(statement, period={"name": "2026-04", "start": "2026-04-01",
                                                                    "end": "2026-04-30"})).decode(),))
    assert [(r["period"], r["status"], r["problem"]) for r in signoffs(run)] == [
        ("2026-04", "invalid", "the signature does not verify")]


class _journal:
    def __init__(self, tmp_path):
        self.path = tmp_path / "journal" / "journal.db"

    def __enter__(self):
        self.journal = open_journal(self.path)
        return self.journal

    def __exit__(self, *exc):
        self.journal.close()


def test_a_signature_replayed_onto_another_practitioner_is_invalid(run, signed, tmp_path):
    from click.testing import CliRunner

    from journal.cli import cli

    other = tmp_path / "other" / "journal.db"

    def run_other(*args, input=None):
        return CliRunner().invoke(cli, ["--db", str(other), *args], input=input, catch_exceptions=False)

    run_other("log", "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Alice")
    run_other("log", "practice", "50m", "--at", "2026-03-04 09:00", "--client", "C1")
    run_other("log", "therapy", "50m", "--at", "2026-03-05 18:00", "--with", "Dr Martin")
    run_other("supervisor", "add", "alice", "--password-stdin", input=PASSWORD + "\n")
    mine, _ = bundle(run, tmp_path)
    theirs_path = tmp_path / "theirs.json"
    assert run_other("signoffs", "export", str(theirs_path)).exit_code == 0
    theirs = json.loads(theirs_path.read_text())
    # Our signature and key carried into their bundle: it is not their journal's.
    theirs["signoffs"] = mine["signoffs"]
    theirs["keys"] = mine["keys"]
    theirs["periods"] = mine["periods"]
    result = verify(run, theirs, tmp_path, "--json")
    assert [(c["status"], c["problem"]) for c in result.json()] == [
        ("invalid", "it was signed for another practitioner's journal")]
    # And into their journal itself (with alice's key there too): invalid as well.
    with _journal(tmp_path) as journal:
        row = journal.query("SELECT * FROM signoffs")[0]
        key = journal.query("SELECT * FROM supervisor_keys")[0]
    theirs_journal = open_journal(other)
    with theirs_journal.transaction():
        theirs_journal.execute("INSERT INTO supervisor_keys VALUES (?, ?, ?, ?)",
                               (key["fingerprint"], key["name"], key["public_key"], key["created_at"]))
        theirs_journal.execute(
            "INSERT INTO signoffs(ref, statement, signature, period, period_start, period_end, supervisor, signed_at, "
            "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(row[k] for k in ("ref", "statement", "signature", "period", "period_start", "period_end",
                                   "supervisor", "signed_at", "received_at")))
    theirs_journal.close()
    listed = json.loads(run_other("signoffs", "--json").stdout)
    assert [(r["status"], r["problem"]) for r in listed] == [("invalid", "it was signed for another practitioner's journal")]


def test_a_signature_made_with_a_key_that_is_not_the_supervisors_is_invalid(run, signed, tmp_path):
    document, _ = bundle(run, tmp_path)
    statement = document["signoffs"][0]["statement"]
    stranger = Ed25519PrivateKey.generate()
    # Signed by another key, the statement still naming alice's fingerprint.
    forged = dict(document, signoffs=[dict(document["signoffs"][0],
                                           signature=b64(stranger.sign(statement.encode())))])
    result = verify(run, forged, tmp_path, "--json")
    assert [(c["status"], c["problem"]) for c in result.json()] == [("invalid", "the signature does not verify")]
    # A key in the bundle that belongs to bob, used for a statement in alice's name.
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from journal.signoffs.keys import fingerprint

    public = b64(stranger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    claimed = dict(json.loads(statement), fingerprint=fingerprint(public))
    text = canonical_json(claimed)
    forged = dict(document, keys={**document["keys"], fingerprint(public): {"supervisor": "bob", "public_key": public}},
                  signoffs=[dict(document["signoffs"][0], statement=text.decode(), signature=b64(stranger.sign(text)))])
    result = verify(run, forged, tmp_path, "--json")
    assert [(c["status"], c["problem"]) for c in result.json()] == [
        ("invalid", "it was signed with a key that is not alice's")]
    # In the journal: a row signed by a stranger's key in alice's name.
    with _journal(tmp_path) as journal:
        with journal.transaction():
            journal.execute("UPDATE signoffs SET statement = ?, signature = ?",
                            (text.decode(), b64(stranger.sign(text))))
    assert [(r["status"], r["problem"]) for r in signoffs(run)] == [
        ("invalid", "it was signed with a key that is not alice's")]


def test_old_signatures_keep_verifying_after_the_password_and_key_change(run, signed):
    before = signoffs(run)[0]["fingerprint"]
    assert run("supervisor", "add", SUPERVISOR, "--password-stdin", input="a brand new password\n").exit_code == 0
    assert run("supervisor", "list", "--json").json()[0]["fingerprint"] != before
    assert [(r["status"], r["fingerprint"]) for r in signoffs(run)] == [("valid", before)]
    old = run("signoffs", "sign", "2026-04", "--supervisor", SUPERVISOR, "--password-stdin", input=PASSWORD + "\n")
    assert old.exit_code == 1  # the old password no longer unseals anything


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"format": "something-else"}', 'no "format": "practice-journal-signoffs"'),
    ('{"format": "practice-journal-signoffs", "version": 9}', "version 9, this journal reads 1"),
    ('{"format": "practice-journal-signoffs", "version": 1, "keys": []}', "its 'practitioner' is missing or malformed"),
])
def test_verify_refuses_a_file_that_is_not_a_bundle_with_exit_2(run, tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    result = run("verify", str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path} is not a countersignature bundle ({message}); "
                             "pass the file `journal signoffs export FILE` wrote\n")
    assert not (tmp_path / "journal").exists()  # no journal was made or needed


def test_verify_needs_no_journal(run, signed, tmp_path, monkeypatch):
    bundle(run, tmp_path)
    from click.testing import CliRunner

    from journal.cli import cli

    monkeypatch.setenv("JOURNAL_HOME", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "bundle.json")])
    assert result.exit_code == 0
    assert not (tmp_path / "nowhere").exists()


def test_the_bundle_holds_no_private_field(tmp_path, run):
    journal = open_journal(tmp_path / "journal" / "journal.db")
    build(journal)
    journal.close()
    for month in ("2026-01", "2026-02", "2026-03"):
        assert run("signoffs", "sign", month, "--supervisor", SUPERVISOR, "--password-stdin",
                   input=PASSWORD + "\n").exit_code == 0
    _, data = bundle(run, tmp_path)
    assert CANARY.encode() not in data.lower()
    assert CANARY.upper().encode() not in data
