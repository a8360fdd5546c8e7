"""Load and cross-check the data tree; every problem names its file and field.

`load_all()` either returns a fully checked `Atlas` or raises `DataError` listing every problem
found as `file: field: problem` lines. Nothing on disk is ever written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from policies.checks import check_document
from policies.models import Atlas, Document, PolicyFile, Provenance, Taxonomy

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


_UNREADABLE = object()  # marks a file that could not be parsed (already reported)


class DataError(Exception):
    """The data tree is invalid; `problems` lists each as `file: field: problem`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


# libyaml's parser when PyYAML was built with it (the wheels are): the same safe loading, several
# times faster than the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, label: str, problems: list[str]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        problems.append(f"{label}: {where}: not valid YAML ({getattr(err, 'problem', err)})")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"{label}: -: cannot be read ({err})")
    return _UNREADABLE


def _loc(raw: Any, loc: tuple) -> str:
    """Render a pydantic error location, naming list items by their `id` where they have one."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            entry = node[key] if isinstance(node, list) and key < len(node) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            parts.append(f"[{ident}]" if ident else f"[{key}]")
        else:
            parts.append(("." if parts else "") + str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts) or "-"


def _validate(model: type[BaseModel], raw: Any, label: str, problems: list[str]) -> Any:
    if raw is _UNREADABLE:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{label}: -: expected a mapping at the top level")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        for e in err.errors():
            problems.append(f"{label}: {_loc(raw, e['loc'])}: {e['msg']}")
    return None


def data_version(root: Path = DATA_DIR) -> str:
    """A short content hash of every data file, stamped on exports and results."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_all(root: Path | None = None) -> Atlas:
    """Load taxonomy, provenance records, sources and policy files, and cross-check them all."""
    root = Path(root) if root is not None else DATA_DIR
    problems: list[str] = []
    tax_path = root / "taxonomy.yaml"
    taxonomy = _validate(
        Taxonomy,
        _read_yaml(tax_path, _rel(tax_path, root), problems),
        _rel(tax_path, root),
        problems,
    )
    policy_paths = sorted((root / "policies").glob("*.yaml"))
    if not policy_paths:
        problems.append(f"{_rel(root / 'policies', root)}: -: no policy files found")
    documents: list[Document] = []
    for path in policy_paths:
        doc = _load_document(path, root, taxonomy, problems)
        if doc is not None:
            documents.append(doc)
    for path in sorted((root / "sources").glob("*.provenance.yaml")):
        stem = path.name.removesuffix(".provenance.yaml")
        if not (root / "policies" / f"{stem}.yaml").exists():
            problems.append(f"{_rel(path, root)}: document: no policy file {stem}.yaml")
    if problems:
        raise DataError(problems)
    return Atlas(taxonomy=taxonomy, documents=documents, data_version=data_version(root))


def _load_document(
    path: Path, root: Path, taxonomy: Taxonomy | None, problems: list[str]
) -> Document | None:
    label = _rel(path, root)
    before = len(problems)
    policy: PolicyFile | None = _validate(
        PolicyFile, _read_yaml(path, label, problems), label, problems
    )
    if policy is not None and policy.document != path.stem:
        problems.append(f"{label}: document: {policy.document!r} does not match the file name")
    prov_path = root / "sources" / f"{path.stem}.provenance.yaml"
    prov_label = _rel(prov_path, root)
    provenance: Provenance | None = None
    if not prov_path.exists():
        problems.append(f"{prov_label}: -: missing provenance record")
    else:
        provenance = _validate(
            Provenance, _read_yaml(prov_path, prov_label, problems), prov_label, problems
        )
    text = None
    if provenance is not None:
        text = _read_source(root, provenance, prov_label, path.stem, problems)
    if policy is None or provenance is None or text is None or taxonomy is None:
        return None
    problems.extend(f"{label}: {p}" for p in check_document(policy, provenance, text, taxonomy))
    if len(problems) > before:
        return None
    return Document(provenance=provenance, policy=policy, text=text)


def _read_source(
    root: Path, provenance: Provenance, prov_label: str, stem: str, problems: list[str]
) -> str | None:
    if provenance.document != stem:
        problems.append(f"{prov_label}: document: {provenance.document!r} does not match {stem!r}")
    src = root / "sources" / provenance.file
    if not src.exists():
        problems.append(f"{prov_label}: file: {provenance.file} not found")
        return None
    raw = src.read_bytes()
    if hashlib.sha256(raw).hexdigest() != provenance.sha256:
        problems.append(f"{prov_label}: sha256: does not match {provenance.file}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{prov_label}: file: {provenance.file} is not UTF-8")
        return None
    for i, art in enumerate(provenance.artifacts):
        if art.raw not in text:
            problems.append(f"{prov_label}: artifacts[{art.id or i}].raw: not in the source text")
    return text
