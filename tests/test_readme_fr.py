"""The README's French walk-through, run command by command as a French-speaking practitioner would."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough() -> list[list[str]]:
    section = README.read_text(encoding="utf-8").split("## En français\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines() if line.startswith("journal ")]


def test_the_french_walkthrough_runs_in_french(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = walkthrough()
    assert commands[0][0] == "init" and commands[-1][0] == "statement"
    outputs = {}
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        outputs.setdefault(args[0], []).append(result.stdout + result.stderr)
    logged = "\n".join(outputs["log"])
    assert "Noté : thérapie n° 1, 50 min avec Dr Martin, mardi" in logged
    assert "Noté : pratique n° 3, 1 h 30 min, " in logged
    assert "Noté : formation n° 4, 3 h, " in logged and "à 09:30" in logged
    assert "Réflexion n° 5 sur le n° 3 enregistrée (privée)." in outputs["reflect"][0]
    assert "Rolfe : Quoi ? Et alors ? Et maintenant ?" in outputs["templates"][0]
    listing = outputs["list"][0]
    assert listing.splitlines()[0].split() == ["n°", "date", "type", "min", "avec", "/", "sur", "titre", "étiquettes",
                                               "partagé"]
    assert "réflexion" in listing and "thérapie" in listing and "sur n° 3" in listing
    assert "type: réflexion" in outputs["show"][0] and "J'ai voulu sauver la cliente" in outputs["show"][0]
    assert "tous" in outputs["report"][0] and "nombre" in outputs["report"][0] and "mois" in outputs["report"][0]
    page = (tmp_path / "releve.html").read_text(encoding="utf-8")
    assert "Relevé d&#39;heures de pratique clinique" in page or "Relevé d'heures de pratique clinique" in page
    assert "Visa du superviseur" in page and "Camille Rivière" in page
    stored = run("list", "--json").json()
    assert {entry["kind"] for entry in stored} == {"therapy", "supervision", "practice", "cpd", "reflection"}
    assert next(e for e in stored if e["kind"] == "practice")["minutes"] == 90
