"""Write ``journal/profiles/shipped.json`` from the shipped profiles' YAML files.

Run it after editing a shipped profile (tests/test_profiles.py fails until it is run):

    .venv/bin/python -m journal.rules.compile_profiles
"""

from __future__ import annotations

from journal.rules.profiles import SHIPPED_JSON, shipped_json

if __name__ == "__main__":
    SHIPPED_JSON.write_text(shipped_json(), encoding="utf-8")
    print(f"wrote {SHIPPED_JSON}")
