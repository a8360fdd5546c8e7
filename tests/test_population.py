"""What a scheme would cost a place: population totals, carriers paid, the rejected rows, and the
Cost page in AppTest (the synthetic sample, an uploaded file with a bad row, an unreadable file)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import policies
from policies.api import SimulationError
from policies.population import cost_of, summarise, synthetic_carriers
from policies.profile import Profile
from policies.profile_table import cells_of, csv_text

ROOT = Path(__file__).resolve().parents[1]


def one_document(
    lows: list[float], highs: list[float | None], not_stated: list[int]
) -> pd.DataFrame:
    """A `simulate_many` table for one document and len(lows) carriers, operator-only."""
    n = len(lows)
    high = pd.Series(highs, dtype="Float64")
    return pd.DataFrame(
        {
            "profile_id": [f"c{i}" for i in range(n)],
            "document": ["doc"] * n,
            "low": pd.Series(lows, dtype="Float64"),
            "high": high,
            "open_ended": high.isna(),
            "in_force": [True] * n,
            "not_stated": not_stated,
            "carrier_operator_low": pd.Series(lows, dtype="Float64"),
            "carrier_operator_high": high,
        }
    )


def test_a_carrier_with_nothing_certain_but_a_ceiling_counts_as_possibly_paid_only() -> None:
    frame = one_document([0.0, 0.0, 10.0], [0.0, 20.0, 10.0], [0, 0, 0])
    row = summarise(frame, ["carrier_operator"]).iloc[0]
    assert row["paid_for_sure"] == 1  # low exactly 0 is not certain
    assert row["paid_possibly"] == 2  # high exactly 0 is not possible
    assert row["total_low"] == 10.0
    assert row["total_high"] == 30.0


def test_one_open_ended_carrier_leaves_the_total_without_an_upper_end() -> None:
    frame = one_document([5.0, 1.0], [None, 3.0], [0, 2])
    row = summarise(frame, ["carrier_operator"]).iloc[0]
    assert row["total_low"] == 6.0
    assert pd.isna(row["total_high"])
    assert row["open_ended_carriers"] == 1
    assert row["paid_possibly"] == 2
    assert row["not_stated_carriers"] == 1
    assert pd.isna(row["carrier_operator_high"])


def test_population_totals_are_the_sums_of_each_carriers_simulate_totals() -> None:
    carriers = synthetic_carriers(25, seed=7)
    frame = policies.simulate_many(carriers)
    summary = summarise(frame, ["carrier_operator"]).set_index("document")
    sums: dict[str, list[float]] = {}
    for carrier in carriers:
        profile = {k: v for k, v in carrier.items() if k != "profile_id"}
        for doc in policies.simulate(profile)["documents"]:
            total = doc["total"]
            sums.setdefault(doc["id"], []).append(total["low"] or 0.0)
    for doc, lows in sums.items():
        assert summary.loc[doc, "total_low"] == pytest.approx(sum(lows))


def test_the_synthetic_sample_is_the_same_every_time_and_every_carrier_is_valid() -> None:
    first, again = synthetic_carriers(200), synthetic_carriers(200)
    assert first == again
    assert len({c["profile_id"] for c in first}) == 200
    for carrier in first:
        Profile.model_validate({k: v for k, v in carrier.items() if k != "profile_id"})


def carriers_csv(n: int, bad_row: int | None = None) -> bytes:
    """A CSV of n synthetic carriers in the template's columns; row `bad_row` made invalid."""
    rows = []
    for number, carrier in enumerate(synthetic_carriers(n), start=1):
        pid = carrier.pop("profile_id")
        cells = cells_of(Profile.model_validate(carrier), pid)
        if number == bad_row:
            cells["new_tech_smes"] = "three"
            cells["level_after"] = "galactic"
        rows.append(cells)
    return csv_text(rows).encode("utf-8")


def test_an_upload_with_a_bad_row_reports_it_and_computes_the_others() -> None:
    result = cost_of(carriers_csv(200, bad_row=37), "carriers.csv")
    assert result.rows_read == 200
    assert [r.number for r in result.rejected] == [37]
    fields = {where for where, _ in result.rejected[0].problems}
    assert fields == {"new_tech_smes", "level_after"}
    assert result.frame["profile_id"].nunique() == 199


def test_an_unreadable_upload_names_the_file_and_computes_nothing() -> None:
    with pytest.raises(SimulationError, match="carriers.xlsx: expected a .csv or .parquet"):
        cost_of(b"PK\x03\x04", "carriers.xlsx")
    with pytest.raises(SimulationError, match="carriers.csv: cannot be read as csv"):
        cost_of(b"\xff\xfe\x00bad", "carriers.csv")


# --- the page --------------------------------------------------------------------------------


def open_cost_page(lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("views/population.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page (interactive or static) that has `column`."""
    for element in [*at.dataframe, *at.table]:
        frame = element.value.reset_index()
        if column in frame.columns:
            return frame
    raise AssertionError(f"no table with column {column!r}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cost_page_opens_empty_with_a_way_to_start(lang: str) -> None:
    at = open_cost_page(lang)
    assert len(at.info) == 1
    assert not at.dataframe and not at.table
    assert at.file_uploader(key="pop_file") is not None


def test_the_synthetic_sample_shows_every_document_in_words() -> None:
    at = open_cost_page("en", pop_sample=True)
    table = frame_with(at, "Total for all carriers")
    assert len(table) == 5
    totals = dict(zip(table["Document"], table["Total for all carriers"], strict=True))
    # A document whose eligible clauses state no amount says so; it is never shown as 0.
    assert totals["Qingdao 2019"] == "no amount stated"
    assert totals["Liuzhou 2019"].startswith("at least ")
    assert at.get("vega_lite_chart")


def test_an_uploaded_file_with_one_bad_row_is_computed_for_the_other_199() -> None:
    at = open_cost_page("en")
    at.file_uploader(key="pop_file").upload("carriers.csv", carriers_csv(200, 37), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 of 200 rows" in at.warning[0].value
    rejected = frame_with(at, "What is wrong")
    assert set(rejected["Row"]) == {37}
    paid = frame_with(at, "Carriers that get something")["Carriers that get something"]
    assert all(" of 199" in cell for cell in paid)


def test_an_unreadable_upload_shows_what_is_wrong_and_nothing_else() -> None:
    at = open_cost_page("zh")
    at.file_uploader(key="pop_file").upload("carriers.csv", b"\xff\xfe\x00", "text/csv")
    at.run()
    assert not at.exception
    assert "carriers.csv" in at.error[0].value.replace("\\", "")
    assert not at.dataframe and not at.table


def test_a_count_written_as_a_whole_float_is_read_as_that_count() -> None:
    text = carriers_csv(3).decode().replace(",0,", ",0.0,", 1).encode()
    result = cost_of(text, "carriers.csv")
    assert result.rejected == ()
    half = carriers_csv(3).decode().splitlines()
    header = half[0].split(",")
    row = half[1].split(",")
    row[header.index("new_tech_smes")] = "2.5"
    bad = cost_of("\n".join([half[0], ",".join(row)]).encode(), "carriers.csv")
    assert [why for _, why in bad.rejected[0].problems] == ["expected a whole number, got '2.5'"]


def test_one_row_of_a_population_can_be_simulated_alone_with_its_id() -> None:
    carrier = synthetic_carriers(1)[0]
    alone = policies.simulate(carrier)
    row = policies.simulate_many([carrier])
    for doc in alone["documents"]:
        mine = row[row["document"] == doc["id"]].iloc[0]
        assert mine["low"] == doc["total"]["low"]


def test_a_carrier_whose_only_money_is_unstated_never_reads_as_nothing() -> None:
    from components.population_view import carrier_table, per_carrier, summary_table

    frame = one_document([0.0, 0.0, 10.0], [0.0, 0.0, 10.0], [2, 0, 0])
    labels = {"doc": "Doc"}
    words = carrier_table(frame, labels, "en")["In words"].tolist()
    assert words == ["no amount stated", "nothing", "10万元"]
    assert list(per_carrier(frame, labels)["profile_id"]) == ["c1", "c2"]  # c0 is not a 0
    summary = summarise(frame, ["carrier_operator"])
    assert summary.iloc[0]["unstated_only_carriers"] == 1
    atlas = policies.load().atlas
    paid = summary_table(summary, atlas, ["carrier_operator"], labels, None, "en")
    assert paid.iloc[0]["Carriers that get something"] == (
        "1 of 3; plus 1 that qualify only for money of unstated amount"
    )


def test_an_evidence_pack_holds_its_input_file_and_its_line_names_the_file_and_hash() -> None:
    import zipfile
    from dataclasses import replace

    from components.export_panel import view_evidence
    from components.population_view import Input, export_line

    content = carriers_csv(20, bad_row=3)
    source = Input("district.csv", content)
    line = export_line(2024, True, source, "en")
    assert "district.csv" in line and source.sha256[:16] in line and "2024" in line
    evidence = view_evidence(
        policies.load().atlas, "en", "population", {"Totals": pd.DataFrame()}, [], extra=line
    )
    pack = replace(evidence, inputs={source.name: source.content}).pack()
    with zipfile.ZipFile(io.BytesIO(pack)) as zf:
        assert zf.read("input/district.csv") == content
        assert source.sha256[:16] in zf.read("SOURCE.txt").decode()


def test_a_carrier_paid_a_stated_sum_and_unstated_money_reads_both() -> None:
    from components.population_view import carrier_table

    frame = one_document([10.0], [10.0], [1])
    words = carrier_table(frame, {"doc": "Doc"}, "en")["In words"].tolist()
    assert words == ["10万元, plus money of unstated amount"]


def test_the_chart_names_on_its_row_the_carriers_it_does_not_draw() -> None:
    from components.population_view import unstated_notes

    frame = one_document([0.0, 0.0, 10.0], [0.0, 0.0, 25.0], [2, 3, 0])
    notes = unstated_notes(frame, {"doc": "Doc"}, "en")
    assert notes.to_dict("records") == [
        {
            "doc_label": "Doc",
            "x": 25.0,
            "note": "2 carriers: only money of unstated amount (not drawn)",
        }
    ]


def test_a_row_of_a_table_read_back_from_csv_simulates_alone() -> None:
    back = pd.read_csv(io.BytesIO(carriers_csv(4)))
    alone = policies.simulate(back.iloc[2])
    many = policies.simulate_many(back)
    mine = many[many["profile_id"] == back.iloc[2]["profile_id"]]
    assert [d["total"]["low"] for d in alone["documents"]] == list(mine["low"])


def test_a_rejected_row_is_named_by_its_number_and_its_id() -> None:
    result = cost_of(carriers_csv(5, bad_row=2), "carriers.csv")
    assert result.problems()[0].startswith("row 2 (carrier-0002): ")


def test_a_file_past_the_row_limit_is_counted_and_not_computed() -> None:
    result = cost_of(carriers_csv(12), "carriers.csv", max_rows=11)
    assert result.rows_read == 12 and result.frame.empty and result.rejected == ()
    exactly = cost_of(carriers_csv(11), "carriers.csv", max_rows=11)
    assert exactly.frame["profile_id"].nunique() == 11
