"""The public command line (its names are a contract; see README)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policies.api import SimulationError, batch
from policies.coverage import document_coverage
from policies.crossovers import crossovers
from policies.draft import DraftError, draft
from policies.engine import Engine, InterpretationError, Result
from policies.export import FORMATS, export
from policies.fmt import interval
from policies.loader import DATA_DIR, DataError, load_all
from policies.presets import load_presets
from policies.profile import Profile, ProfileError, parse_profile_json
from policies.profile_table import TABLE_SUFFIXES
from policies.readings import with_across
from policies.sweeps import SWEEP_FIELDS, default_sweep_range, sweep_landmarks, sweep_values

EXIT_BAD_INPUT = 2


def _cmd_check(args: argparse.Namespace) -> int:
    atlas = load_all(args.data)
    presets = load_presets(args.data)
    n_t = sum(len(d.policy.targets) for d in atlas.documents)
    n_c = sum(len(d.policy.clauses) for d in atlas.documents)
    print(
        f"ok: {len(atlas.documents)} documents, {n_t} targets, {n_c} clauses, "
        f"{len(presets)} example profiles, "
        f"data version {atlas.data_version}"
    )
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    atlas = load_all(args.data)
    results = [document_coverage(d) for d in atlas.documents]
    left = 0
    for cov in results:
        for u in cov.uncovered:
            left += 1
            shown = ", ".join(u.figures)
            print(
                f"data/policies/{cov.document}.yaml: dismissed: not cited by a record nor "
                f"dismissed ({shown}): {u.sentence.text}",
                file=sys.stderr,
            )
    n = sum(c.figures for c in results)
    cited = sum(c.cited for c in results)
    dismissed = sum(c.dismissed for c in results)
    if left:
        print(f"{left} sentence(s) with a figure neither cited nor dismissed", file=sys.stderr)
        return 1
    print(
        f"ok: {len(results)} documents, {n} figures: {cited} cited by a record, "
        f"{dismissed} dismissed with a reason"
    )
    return 0


def _cmd_draft(args: argparse.Namespace) -> int:
    root = Path(args.data) if args.data is not None else DATA_DIR
    try:
        written, stubs = draft(Path(args.source), args.id, root)
    except DraftError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    for path in written:
        print(path)
    print(
        f"{stubs} sentence(s) with a figure drafted as stubs in {written[2].name}; fill the "
        f"provenance and policy files, then run check and coverage"
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    atlas = load_all(args.data)
    for path in export(atlas, args.format, Path(args.out)):
        print(path)
    return 0


def _interpretations(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        ident, sep, choice = pair.partition("=")
        if not sep or not ident or not choice:
            raise InterpretationError([f"--interpretation {pair!r}: expected ID=CHOICE"])
        out[ident] = choice
    return out


def render_table(result: Result) -> str:
    """A plain-text table of totals and lines, for reading in a terminal."""
    rows = []
    for doc in result.documents:
        force = "" if doc.in_force else "  (not in force)"
        rows.append(f"{doc.id}{force}: total {interval(doc.total.low, doc.total.high)}")
        for recipient, amount in doc.by_recipient.items():
            rows.append(f"  to {recipient}: {interval(amount.low, amount.high)}")
        if doc.after_period is not None and (doc.after_period.high or doc.after_period.low):
            late = interval(doc.after_period.low, doc.after_period.high)
            rows.append(f"  paid after the document's period: {late}")
        if doc.across is not None:
            rows.append(f"  across every reading: {interval(doc.across.low, doc.across.high)}")
            for d in doc.across.decisive:
                shown = ", ".join(f"{k} {interval(v.low, v.high)}" for k, v in d.totals.items())
                rows.append(f"    {d.interpretation}: {shown}")
        for line in doc.lines:
            shown = interval(line.low, line.high) if line.status == "computed" else line.status
            rows.append(f"  - {line.clause:<48} {shown:<16} {line.why_en}")
    rows.append(
        "interpretations: " + ", ".join(f"{k}={v}" for k, v in result.interpretations.items())
    )
    rows.append(f"data version: {result.data_version}")
    return "\n".join(rows)


def _profile_and_engine(args: argparse.Namespace) -> tuple[Profile, Engine] | int:
    """The profile named on the command line and an engine with its readings, or the exit code
    after printing every problem."""
    try:
        text = Path(args.profile).read_bytes() if args.profile != "-" else sys.stdin.buffer.read()
    except OSError as err:
        print(f"{args.profile}: cannot be read ({err.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        profile = parse_profile_json(text)
        engine = Engine(load_all(args.data), _interpretations(args.interpretation))
    except ProfileError as err:
        for where, reason in err.problems:
            print(f"{args.profile}: {where}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InterpretationError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    return profile, engine


def _cmd_simulate(args: argparse.Namespace) -> int:
    found = _profile_and_engine(args)
    if isinstance(found, int):
        return found
    profile, engine = found
    result = engine.evaluate(profile, args.year)
    if args.readings == "all":
        result = with_across(engine, profile, result)
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_table(result))
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    if args.field not in SWEEP_FIELDS:
        fields = ", ".join(SWEEP_FIELDS)
        print(f"--field {args.field!r}: not a field a sweep can vary ({fields})", file=sys.stderr)
        return EXIT_BAD_INPUT
    found = _profile_and_engine(args)
    if isinstance(found, int):
        return found
    profile, engine = found
    low, high = default_sweep_range(engine.atlas, args.field, profile)
    low = low if args.low is None else args.low
    high = high if args.high is None else args.high
    try:
        points = engine.sweep(profile, args.field, sweep_values(args.field, low, high, args.points))
    except ProfileError as err:
        for where, reason in err.problems:
            print(f"--low/--high: {where}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = {
        "field": args.field,
        "landmarks": sweep_landmarks(engine.atlas, args.field, profile),
        "points": [
            {"value": value, "totals": {doc: t.as_dict() for doc, t in totals.items()}}
            for value, totals in points
        ],
        "crossovers": [c.as_dict() for c in crossovers(points)],
        "data_version": engine.atlas.data_version,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def _progress(items: Iterable[Any], total: int, what: str) -> Iterable[Any]:
    """A progress bar on a terminal (standard error); nothing when output is redirected."""
    from tqdm import tqdm

    return tqdm(items, total=total, desc=what, unit=what.rstrip("s"), disable=None, leave=False)


def write_frame(frame: Any, out: Path, data_version: str) -> None:
    """Write a result table as CSV or Parquet (nulls stay nulls; the data version in metadata)."""
    if out.suffix.lower() == ".csv":
        frame.to_csv(out, index=False)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"data_version"] = data_version.encode()
    pq.write_table(table.replace_schema_metadata(meta), out)


def _cmd_simulate_batch(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in TABLE_SUFFIXES:
        print(f"{out}: --out must end in .csv or .parquet", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        result = batch(
            Path(args.input),
            year=args.year,
            readings=args.readings,
            interpretations=_interpretations(args.interpretation),
            strict=args.strict,
            data=args.data,
            progress=_progress,
        )
    except (SimulationError, InterpretationError) as err:
        for problem in err.problems:
            print(f"{args.input}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        write_frame(result.frame, out, result.frame.attrs["data_version"])
    except OSError as err:
        print(f"{out}: cannot be written ({err.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    good = result.rows_read - len(result.rejected)
    n_docs = result.frame["document"].nunique()
    print(f"rows read: {result.rows_read} (row 1 is the first row after the header)")
    print(f"rejected: {len(result.rejected)}")
    for problem in result.problems():
        print(f"  {problem}")
    print(f"written: {len(result.frame)} rows ({good} profiles × {n_docs} documents) to {out}")
    return EXIT_BAD_INPUT if result.rejected else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=1))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m policies", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="data directory (default: data/)")
    # --data is also accepted after the command; SUPPRESS keeps a value given before it.
    data_opt = argparse.ArgumentParser(add_help=False)
    data_opt.add_argument("--data", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "check", parents=[data_opt], help="validate all data; exit 1 listing `file: field: problem`"
    )
    sub.add_parser(
        "coverage",
        parents=[data_opt],
        help="every figure of every source is cited or dismissed; exit 1 listing the rest",
    )
    drf = sub.add_parser(
        "draft",
        parents=[data_opt],
        help="copy a source into the data tree with its provenance and a stubbed policy file",
    )
    drf.add_argument("source", help="the source text (UTF-8)")
    drf.add_argument("--id", required=True, help="the new document's id, e.g. hefei_2022")
    exp = sub.add_parser(
        "export", parents=[data_opt], help="write the documents, targets and clauses tables"
    )
    exp.add_argument("--format", choices=FORMATS, required=True)
    exp.add_argument("--out", required=True, help="output directory")
    sim = sub.add_parser(
        "simulate", parents=[data_opt], help="evaluate a profile against every document"
    )
    sim.add_argument("profile", help="profile JSON file, or - for standard input")
    sim.add_argument("--year", type=int, default=None, help="mark documents in force in year Y")
    sim.add_argument(
        "--interpretation",
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help="switch an ambiguous clause to another reading (repeatable)",
    )
    sim.add_argument(
        "--readings",
        choices=("all",),
        default=None,
        help="add each document's range over every combination of its readings",
    )
    sim.add_argument("--format", choices=("json", "table"), default="json")
    bat = sub.add_parser(
        "simulate-batch",
        parents=[data_opt],
        help="totals for every profile of a CSV or Parquet file, one row per profile and document",
    )
    bat.add_argument("input", help="profiles, one per row: IN.csv or IN.parquet")
    bat.add_argument("--out", required=True, help="OUT.csv or OUT.parquet")
    bat.add_argument("--year", type=int, default=None, help="mark documents in force in year Y")
    bat.add_argument(
        "--interpretation",
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help="switch an ambiguous clause to another reading (repeatable)",
    )
    bat.add_argument(
        "--readings",
        choices=("all",),
        default=None,
        help="add each document's range over every combination of its readings",
    )
    bat.add_argument(
        "--strict", action="store_true", help="write nothing if any row is not a valid profile"
    )
    swp = sub.add_parser(
        "sweep",
        parents=[data_opt],
        help="vary one input of a profile: each document's total at each value, where totals "
        "change behaviour (thresholds, caps) and where one document overtakes another",
    )
    swp.add_argument("profile", help="profile JSON file, or - for standard input")
    swp.add_argument("--field", required=True, help="the numeric input to vary")
    swp.add_argument("--low", type=float, default=None, help="first value (default 0)")
    swp.add_argument(
        "--high", type=float, default=None, help="last value (default: past the last landmark)"
    )
    swp.add_argument("--points", type=int, default=51, help="values to try, 2 to 200")
    swp.add_argument(
        "--interpretation",
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help="switch an ambiguous clause to another reading (repeatable)",
    )
    sub.add_parser("schema", help="print the JSON Schema of a profile")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {
        "check": _cmd_check,
        "coverage": _cmd_coverage,
        "draft": _cmd_draft,
        "export": _cmd_export,
        "simulate": _cmd_simulate,
        "simulate-batch": _cmd_simulate_batch,
        "sweep": _cmd_sweep,
        "schema": _cmd_schema,
    }
    try:
        return handlers[args.command](args)
    except DataError as err:
        for line in err.problems:
            print(line, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in the data", file=sys.stderr)
        return 1
