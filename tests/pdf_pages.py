"""Reading a PDF back the way a person would see it: its page size and count, its text, and its
first page as a PNG image (poppler-utils' pdfinfo, pdftotext and pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def read_pdf(path: Path) -> tuple[str, str]:
    """``pdfinfo``'s report and the text of every page, spaces squeezed."""
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("install poppler-utils (apt-get install poppler-utils) for pdftotext and pdftoppm")
    assert path.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    return info, text


def first_page_png(path: Path, folder: Path, resolution: int = 40) -> Path:
    """The first page drawn as a PNG in ``folder``; checked to be a real, non-blank image."""
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-f", "1", "-l", "1", str(path), str(folder / "page")],
                   check=True)
    page = next(folder.glob("page*.png"))
    assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 5_000
    return page
