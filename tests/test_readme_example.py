"""The README's notebook example runs as written and shows the documents' totals."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    """The Python block under '## Python API (for notebooks)'."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API (for notebooks)", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the README lost its notebook example"
    return match.group(1)


def test_the_notebook_example_has_five_lines() -> None:
    assert len([line for line in readme_example().splitlines() if line.strip()]) == 5


def test_the_notebook_example_runs_as_written_and_prints_each_document() -> None:
    done = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    import policies

    for doc in policies.load().documents["document"]:
        assert doc in done.stdout
    assert "profile_id" in done.stdout and "A" in done.stdout
