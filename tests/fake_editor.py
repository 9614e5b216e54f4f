"""A real editor for tests: a small Python script that $EDITOR runs on the journal's temp file.

It records what it saw (the path, the folder's and the file's modes, the text) in a log file,
then rewrites the file, exits with a status, or sends SIGTERM to the journal that started it.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
import json, os, signal, stat, sys, time
CONFIG = json.loads({config!r})
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
seen = {{
    "path": path,
    "folder_mode": stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode),
    "file_mode": stat.S_IMODE(os.stat(path).st_mode),
    "text": text,
    "argv": sys.argv[1:],
}}
with open(CONFIG["log"], "w", encoding="utf-8") as log:
    json.dump(seen, log)
if CONFIG["replace"] is not None:
    text = CONFIG["replace"]
for heading, answer in CONFIG["answers"].items():
    text = text.replace("## " + heading + "\\n", "## " + heading + "\\n" + answer + "\\n", 1)
with open(path, "w", encoding="utf-8") as handle:
    handle.write(text)
if CONFIG["kill_parent"]:
    os.kill(os.getppid(), signal.SIGTERM)
    time.sleep(30)
sys.exit(CONFIG["exit_code"])
"""


@dataclass
class FakeEditor:
    command: str  # the value for $EDITOR
    log: Path

    def seen(self) -> dict | None:
        """What the editor saw, or ``None`` when it never ran."""
        return json.loads(self.log.read_text()) if self.log.exists() else None


def fake_editor(folder: Path, name: str = "editor", *, replace: str | None = None,
                answers: dict[str, str] | None = None, exit_code: int = 0,
                kill_parent: bool = False) -> FakeEditor:
    """Write the editor script in ``folder``; ``answers`` maps a heading to the text put under it."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.json"
    config = json.dumps({"log": str(log), "replace": replace, "answers": answers or {},
                         "exit_code": exit_code, "kill_parent": kill_parent})
    script = folder / f"{name}.py"
    script.write_text(SCRIPT.format(config=config), encoding="utf-8")
    return FakeEditor(f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", log)
