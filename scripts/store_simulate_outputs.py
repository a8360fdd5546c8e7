"""Store `python -m policies simulate` output for every example profile (tests/golden/simulate).

The stored files pin what the engine prints: `tests/test_simulate_unchanged.py` compares every
run with them byte for byte. Re-run this script only when a change of a figure is intended, and
say why in the commit message.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policies.cli import main  # noqa: E402
from policies.presets import load_presets  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "simulate"

# Each variant: a file suffix and the extra command-line arguments it runs with.
VARIANTS: dict[str, list[str]] = {
    "json": [],
    "table": ["--format", "table"],
    "readings_all": ["--readings", "all"],
    "year_2020_readings_all": ["--year", "2020", "--readings", "all"],
}

# The data version is a hash of every data file: it changes with any edit of the data (a new
# `dismissed:` entry too), so the comparison masks it and compares everything else.
_VERSION = re.compile(r'("data_version": "|data version: )[0-9a-f]{12}')


def render(profile: Path, extra: list[str]) -> str:
    """The simulate command's standard output for one profile, the data version masked."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["simulate", str(profile), *extra])
    if code != 0:
        raise RuntimeError(f"simulate {profile.name} {' '.join(extra)} exited {code}")
    return _VERSION.sub(r"\1<data version>", out.getvalue())


def golden_path(preset_id: str, variant: str) -> Path:
    return GOLDEN / f"{preset_id}.{variant}.txt"


def store() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for preset in load_presets():
        for variant, extra in VARIANTS.items():
            golden_path(preset.id, variant).write_text(render(preset.path, extra), "utf-8")
            print(golden_path(preset.id, variant).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(store())
