"""Cost to a place in a real browser: a file of 200 carriers, one of them invalid, uploaded through
the file picker; the bad row is named, the other 199 are computed and charted, and the link
keeps the year but says it cannot hold the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.test_population import carriers_csv

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 60_000


def test_a_file_of_200_carriers_with_one_bad_row_is_computed_for_the_other_199(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    upload = tmp_path / "carriers.csv"
    upload.write_bytes(carriers_csv(200, bad_row=37))
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{app_url}population?lang=English&pop_year=2024", timeout=TIMEOUT_MS)
        expect(page.get_by_text("Upload a file or try the synthetic sample")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        page.locator("input[type=file]").set_input_files(str(upload))
        expect(page.get_by_text("1 of 200 rows could not be read")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_text("Your file carriers.csv: 200 rows.")).to_be_visible()
        expect(page.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_text("it cannot hold an uploaded file")).to_be_visible()
        assert "pop_year=2024" in page.url
        assert not page.locator("[data-testid=stException]").count()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "population_upload.png"), full_page=True)
    finally:
        context.close()
