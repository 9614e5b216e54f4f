"""The project's own tooling, as a new contributor meets it: a quiet install, a demo server that
stops quietly, and a `make test-fast` that leaves out the long tests."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from procs import free_port, run_journal, start_journal, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


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


def collected(marker: str) -> set[str]:
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
                             "-m", marker, str(ROOT / "tests")], capture_output=True, text=True, timeout=120,
                            cwd=ROOT)
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


def test_test_fast_leaves_out_the_long_reliability_and_load_tests():
    fast = collected("not browser and not slow")
    slow = collected("slow")
    assert "tests/test_concurrency.py" in slow and "tests/test_concurrency.py" not in fast
    assert {"tests/test_reliability.py", "tests/test_report_totals.py", "tests/test_server_safety.py"} <= slow
    assert "tests/test_running.py" in fast and "tests/test_running.py" not in slow
