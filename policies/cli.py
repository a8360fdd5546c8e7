"""The public command line (its names are a contract; see README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policies.export import FORMATS, export
from policies.loader import DataError, load_all


def _cmd_check(args: argparse.Namespace) -> int:
    atlas = load_all(args.data)
    n_t = sum(len(d.policy.targets) for d in atlas.documents)
    n_c = sum(len(d.policy.clauses) for d in atlas.documents)
    print(
        f"ok: {len(atlas.documents)} documents, {n_t} targets, {n_c} clauses, "
        f"data version {atlas.data_version}"
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    atlas = load_all(args.data)
    for path in export(atlas, args.format, Path(args.out)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m policies", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="data directory (default: data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate all data; exit 1 listing `file: field: problem`")
    exp = sub.add_parser("export", help="write the documents, targets and clauses tables")
    exp.add_argument("--format", choices=FORMATS, required=True)
    exp.add_argument("--out", required=True, help="output directory")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"check": _cmd_check, "export": _cmd_export}
    try:
        return handlers[args.command](args)
    except DataError as err:
        for line in err.problems:
            print(line, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in the data", file=sys.stderr)
        return 1
