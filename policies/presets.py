"""Named example profiles (data/profiles): simulator presets and test inputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from policies.loader import DATA_DIR, DataError
from policies.profile import Profile, ProfileError, parse_profile_json


@dataclass(frozen=True)
class Preset:
    id: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    profile: Profile
    path: Path


def load_presets(root: Path | None = None) -> list[Preset]:
    """Every preset listed in data/profiles/index.yaml, validated; DataError lists problems."""
    folder = (Path(root) if root is not None else DATA_DIR) / "profiles"
    index_path = folder / "index.yaml"
    label = f"data/profiles/{index_path.name}"
    try:
        index = yaml.safe_load(index_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DataError([f"{label}: -: cannot be read ({err})"]) from None
    if not isinstance(index, dict):
        raise DataError([f"{label}: -: expected a mapping of preset ids"])
    problems: list[str] = []
    presets: list[Preset] = []
    for ident, meta in index.items():
        path = folder / f"{ident}.json"
        keys = ("name_zh", "name_en", "description_zh", "description_en")
        if not isinstance(meta, dict) or any(not isinstance(meta.get(k), str) for k in keys):
            problems.append(f"{label}: {ident}: needs {', '.join(keys)} as text")
            continue
        try:
            profile = parse_profile_json(path.read_bytes())
        except OSError:
            problems.append(f"data/profiles/{path.name}: -: missing profile file")
            continue
        except ProfileError as err:
            problems.extend(f"data/profiles/{path.name}: {f}: {r}" for f, r in err.problems)
            continue
        presets.append(Preset(ident, *(meta[k] for k in keys), profile, path))
    listed = set(index)
    for path in sorted(folder.glob("*.json")):
        if path.stem not in listed:
            problems.append(f"data/profiles/{path.name}: -: not listed in index.yaml")
    if problems:
        raise DataError(problems)
    return presets
