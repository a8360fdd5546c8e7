"""Engine benchmark: profiles per second and a 200-point sweep, beside a bare Streamlit rerun.

Prints a table; the ratios are the figures that matter (measured in the same run, same machine).
The batch section times `policies.simulate_many` over --batch random profiles (dicts, validated
as profiles) beside the single-profile loops (`policies.simulate`, and the engine's totals-only
evaluation) and two worker processes running that loop, each timed on --loop profiles.
Run: .venv/bin/python scripts/bench_engine.py [--profiles N] [--batch N] [--loop N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policies import load_all  # noqa: E402
from policies.engine import Engine  # noqa: E402
from policies.presets import load_presets  # noqa: E402
from policies.profile import Profile  # noqa: E402
from policies.readings import across_readings  # noqa: E402

LEVELS = ["none", "municipal", "provincial", "national"]


def random_profile(rng: random.Random) -> Profile:
    """A valid profile with every field drawn at random (seeded, so runs compare)."""
    return Profile(
        carrier_type=rng.choice(["incubator", "accelerator", "maker_space"]),
        level_before=rng.choice(LEVELS),
        level_after=rng.choice(LEVELS),
        converted_existing_building=rng.random() < 0.5,
        renovation_cost=rng.uniform(0, 3000),
        rated_excellent=rng.random() < 0.5,
        evaluation_grade_a=rng.sample(["national", "provincial"], rng.randint(0, 2)),
        new_high_tech_enterprises=rng.randint(0, 20),
        new_tech_smes=rng.randint(0, 40),
        graduated_enterprises=rng.randint(0, 10),
        free_workspace_and_broadband=rng.random() < 0.5,
        offshore_rent=[rng.uniform(0, 800) for _ in range(rng.randint(0, 4))],
        major_platform=rng.random() < 0.3,
        especially_major_platform=rng.random() < 0.1,
        rd_equipment_investment=rng.uniform(0, 2000),
        service_revenue=rng.uniform(0, 3000),
        service_revenue_prev=rng.uniform(0, 3000),
        first_provincial_service_recognition=rng.random() < 0.3,
        contest_awards=[
            {
                "level": rng.choice(["city", "provincial"]),
                "rank": rng.randint(1, 3),
                "rd_investment": rng.uniform(0, 500),
            }
            for _ in range(rng.randint(0, 3))
        ],
        professional_carrier=rng.random() < 0.5,
    )


# Every field set, so that every reading of every document has something to act on.
FULL_PROFILE = {
    "carrier_type": "incubator",
    "level_before": "provincial",
    "level_after": "national",
    "converted_existing_building": True,
    "renovation_cost": 600.0,
    "rated_excellent": True,
    "evaluation_grade_a": ["national", "provincial"],
    "new_high_tech_enterprises": 3,
    "new_tech_smes": 8,
    "graduated_enterprises": 2,
    "free_workspace_and_broadband": True,
    "offshore_rent": [180.0, 240.0, 260.0],
    "major_platform": True,
    "especially_major_platform": True,
    "rd_equipment_investment": 400.0,
    "service_revenue": 300.0,
    "service_revenue_prev": 0.0,
    "first_provincial_service_recognition": True,
    "contest_awards": [{"level": "city", "rank": 1, "rd_investment": 100.0}],
    "professional_carrier": True,
    "first_angel_round_enterprises": 2,
    "shared_instrument_testing_spend": 50.0,
    "hosted_major_event": True,
}


def across_readings_ms(engine: Engine, repeats: int = 21) -> tuple[float, float]:
    """Median ms of one evaluation and of the range over every reading, for FULL_PROFILE."""
    profile = Profile.model_validate(FULL_PROFILE)
    single, across = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        engine.evaluate(profile)
        single.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        across_readings(engine, profile)
        across.append((time.perf_counter() - start) * 1000)
    return statistics.median(single), statistics.median(across)


def _totals_loop(dicts: list[dict]) -> int:
    """The single-profile loop, totals only: validate and evaluate one profile at a time."""
    engine = Engine(load_all())
    for data in dicts:
        engine.evaluate(Profile.model_validate(data), explain=False)
    return len(dicts)


def batch_rows(n_batch: int, n_loop: int) -> list[tuple[str, str, str]]:
    """simulate_many over n_batch random profiles beside three single-profile loops."""
    import multiprocessing

    import policies

    rng = random.Random(20261201)
    dicts = [random_profile(rng).model_dump(mode="json") for _ in range(n_batch)]
    loop = dicts[:n_loop]
    policies.simulate(loop[0])  # load the data once, as a notebook session would

    start = time.perf_counter()
    for data in loop:
        policies.simulate(data)
    simulate_rate = n_loop / (time.perf_counter() - start)

    start = time.perf_counter()
    _totals_loop(loop)
    totals_rate = n_loop / (time.perf_counter() - start)

    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        sum(pool.map(_totals_loop, [loop[::2], loop[1::2]]))
    workers_rate = n_loop / (time.perf_counter() - start)

    start = time.perf_counter()
    frame = policies.simulate_many(dicts)
    batch_s = time.perf_counter() - start
    batch_rate = n_batch / batch_s
    assert len(frame) == n_batch * len(policies.load().documents)
    return [
        (
            f"single-profile loop: policies.simulate, {n_loop:,} profiles (the floor)",
            f"{n_loop / simulate_rate:.2f} s",
            f"{simulate_rate:,.0f} profiles/s, 1.00×",
        ),
        (
            f"single-profile loop, totals only (validate + evaluate), {n_loop:,} profiles",
            f"{n_loop / totals_rate:.2f} s",
            f"{totals_rate:,.0f} profiles/s, {totals_rate / simulate_rate:.1f}×",
        ),
        (
            f"the same loop in 2 worker processes (start-up included), {n_loop:,} profiles",
            f"{n_loop / workers_rate:.2f} s",
            f"{workers_rate:,.0f} profiles/s, {workers_rate / simulate_rate:.1f}×",
        ),
        (
            f"policies.simulate_many, {n_batch:,} profiles (validation included)",
            f"{batch_s:.2f} s",
            f"{batch_rate:,.0f} profiles/s, {batch_rate / simulate_rate:.1f}× "
            f"(goal ≥ 10×); {batch_rate / totals_rate:.1f}× the totals-only loop",
        ),
    ]


def bare_apptest_rerun_ms(repeats: int = 15) -> float:
    """Median AppTest rerun of a one-line page after a widget change, in ms."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "bare.py"
        page.write_text('import streamlit as st\nst.number_input("x", value=0)\n')
        at = AppTest.from_file(str(page), default_timeout=60).run()
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            at.number_input[0].set_value(i + 1).run()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--sweep-points", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100_000, help="profiles for simulate_many")
    parser.add_argument("--loop", type=int, default=2_000, help="profiles for each loop")
    args = parser.parse_args()

    bare_ms = bare_apptest_rerun_ms()
    atlas = load_all()
    rng = random.Random(20261122)
    profiles = [random_profile(rng) for _ in range(args.profiles)]
    engine = Engine(atlas)

    start = time.perf_counter()
    engine.evaluate_many(profiles)
    batch_s = time.perf_counter() - start
    per_profile_ms = batch_s * 1000 / len(profiles)
    start = time.perf_counter()
    engine.evaluate_many(profiles[:1000], explain=True)
    explained_ms = (time.perf_counter() - start) * 1000 / 1000

    presets = {p.id: p.profile for p in load_presets()}
    sweep_cases = [
        ("municipal_incubator_to_provincial", "renovation_cost", 3000),
        ("national_incubator_grade_a", "new_high_tech_enterprises", 199),
        ("service_agency", "service_revenue", 3000),
    ]
    sweep_rows = []
    for preset, field, top in sweep_cases:
        values = [i * top / (args.sweep_points - 1) for i in range(args.sweep_points)]
        if field == "new_high_tech_enterprises":
            values = list(range(args.sweep_points))
        times = []
        for _ in range(7):
            start = time.perf_counter()
            engine.sweep(presets[preset], field, values)
            times.append((time.perf_counter() - start) * 1000)
        sweep_rows.append((preset, field, statistics.median(times)))

    rows = [
        ("bare AppTest rerun (one-line page), median of 15", f"{bare_ms:.1f} ms", "1.00×"),
        (
            f"engine: {len(profiles):,} random profiles × 5 documents",
            f"{batch_s:.2f} s",
            f"{len(profiles) / batch_s:,.0f} profiles/s",
        ),
        (
            "engine: one profile, all documents, totals only",
            f"{per_profile_ms:.3f} ms",
            f"{per_profile_ms / bare_ms:.3f}× bare rerun",
        ),
        (
            "engine: one profile with every explanation and near miss",
            f"{explained_ms:.3f} ms",
            f"{explained_ms / bare_ms:.3f}× bare rerun",
        ),
    ]
    for preset, field, ms in sweep_rows:
        rows.append(
            (
                f"engine: {args.sweep_points}-point sweep of {field} ({preset}), median of 7",
                f"{ms:.1f} ms",
                f"{ms / bare_ms:.2f}× bare rerun",
            )
        )
    single_ms, across_ms = across_readings_ms(engine)
    rows.append(
        (
            "engine: a profile with every field set, one evaluation (median of 21)",
            f"{single_ms:.2f} ms",
            f"{single_ms / bare_ms:.2f}× bare rerun",
        )
    )
    rows.append(
        (
            "engine: the same profile across every combination of readings",
            f"{across_ms:.2f} ms",
            f"{across_ms / single_ms:.1f}× one evaluation (goal: under 50 ms)",
        )
    )
    rows.extend(batch_rows(args.batch, min(args.loop, args.batch)))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>10}  ratio / rate")
    for name, t, ratio in rows:
        print(f"{name:<{width}}  {t:>10}  {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
