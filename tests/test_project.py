"""The project's own tooling, as a new contributor meets it: a quiet install, a demo server that
stops quietly, and a `make test-fast` that leaves out the long tests."""

from __future__ import annotations

import importlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from procs import free_port, run_journal, start_journal, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # starts a real server process and signals it
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stopped_with_ctrl_c_or_sigterm_ends_quietly(tmp_path, signum):
    db = tmp_path / "journal.db"
    run_journal(db, "log", "therapy", "50m", "--at", "yesterday 10:00")
    port = free_port()
    server = start_journal(db, "serve", "--no-login", "--port", str(port))
    try:
        wait_for_port(port, server)
        server.send_signal(signum)
        _, stderr = server.communicate(timeout=30)  # stdout and stderr are pipes (procs.start_journal)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0
    assert stderr.rstrip().endswith("Stopped serving.")
    assert "Traceback" not in stderr and "Terminated" not in stderr


def test_every_folder_of_the_package_is_declared_so_the_install_is_quiet(monkeypatch):
    """setuptools warns ("Package 'journal.profiles' is absent ... would be ignored") about every
    folder Python could import that the configuration leaves out; none is left out."""
    import warnings

    from setuptools.config.setupcfg import read_configuration

    monkeypatch.chdir(ROOT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        options = read_configuration(ROOT / "setup.cfg")["options"]
    folders = {".".join(path.relative_to(ROOT).parts) for path in (ROOT / "journal").rglob("*")
               if path.is_dir() and path.name != "__pycache__"}
    assert folders | {"journal"} == set(options["packages"])
    data = options["package_data"]["journal"]
    assert {"profiles/*.yml", "templates_html/*.html"} <= set(data)


LONG_TESTS = [  # (module, test): the reliability, load, fuzz and property tests that take seconds each
    ("test_concurrency", "test_eight_writers_and_a_reader_lose_nothing"),
    ("test_concurrency", "test_backup_while_writers_are_active_is_consistent"),
    ("test_reliability", "test_log_killed_at_any_point_writes_all_or_nothing"),
    ("test_reliability", "test_import_killed_at_any_point_leaves_the_journal_as_before"),
    ("test_reliability", "test_publish_killed_at_any_point_keeps_the_previous_report"),
    ("test_server_safety", "test_server_answers_a_bounded_load_with_flat_memory"),
    ("test_report_totals", "test_totals_match_a_scan_after_any_edits"),
    ("test_migrations", "test_upgrade_killed_half_way_leaves_the_original_usable"),
    ("test_fuzz", "test_hostile_command_lines"),
    ("test_rules", "test_counts_agree_with_a_direct_count_of_live_sessions"),
    ("test_import_identity", "test_json_round_trip_is_byte_identical_for_any_journal"),
    ("test_login_attacks", "test_guessers_are_slowed_and_do_not_stall_the_pages"),
    ("test_login_attacks", "test_a_refused_guess_says_how_long_to_wait"),
    ("test_login_attacks", "test_an_unknown_name_costs_what_a_known_one_does"),
    ("test_encryption", "test_conversion_killed_at_any_point_leaves_the_original_or_the_result"),
    ("test_encryption", "test_every_command_works_encrypted"),
    ("test_login_sessions", "test_a_known_browser_never_waits_behind_guesses_and_fresh_checks_go_before_suspect_ones"),
]


def marks(module: str, test: str) -> set[str]:
    """The markers on a test function and on its module (a module's ``pytestmark`` may be one mark)."""
    imported = importlib.import_module(module)
    on_module = getattr(imported, "pytestmark", [])
    on_module = on_module if isinstance(on_module, list) else [on_module]
    found = getattr(getattr(imported, test), "pytestmark", []) + on_module
    return {mark.name for mark in found}


@pytest.mark.parametrize("module, test", LONG_TESTS, ids=[f"{m}.{t}" for m, t in LONG_TESTS])
def test_the_long_tests_are_marked_slow_so_test_fast_leaves_them_out(module, test):
    assert "slow" in marks(module, test)


def test_test_fast_selects_by_the_slow_marker_and_runs_on_every_core():
    makefile = (ROOT / "Makefile").read_text()
    test_fast = makefile.split("test-fast:")[1].split("\n\n")[0]
    assert '-m "not browser and not slow"' in test_fast and "-n auto" in test_fast
    assert "-n " not in makefile.split("\ntest:")[1].split("\n\n")[0]  # `make test`: one at a time
    assert "slow" not in marks("test_running", "test_start_then_stop_in_other_processes_logs_the_session")
