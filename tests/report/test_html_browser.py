"""The HTML report in headless Chromium: rows and bars in the DOM, styles, no network, not blank.

Needs the Debian package ``chromium`` (/usr/bin/chromium).  Locally the test skips without it;
in CI (``CI`` set) a missing browser is a failure, since CI installs it.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mapper.report import Report, render_html, write_atomic
from tests.report.scenario import M1, M1_BARS, M2, TRUTH, U1

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Everything the test reads from the page, in one round trip.
COLLECT = """() => {
  const who = (el) => el.dataset.email || el.dataset.label;
  const out = {};
  for (const card of document.querySelectorAll('article.meeting')) {
    const rows = {};
    for (const tr of card.querySelectorAll('tr.row')) rows[who(tr)] = {category: tr.dataset.category};
    for (const g of card.querySelectorAll('svg.timeline g.tl-row')) {
      const bars = [...g.querySelectorAll('rect.bar')];
      Object.assign(rows[who(g)], {
        timeline: g.dataset.category,
        bars: bars.length,
        classes: [...new Set(bars.flatMap((b) => [...b.classList]))].sort(),
        fills: [...new Set(bars.map((b) => getComputedStyle(b).fill))],
        dashed: bars.some((b) => getComputedStyle(b).strokeDasharray !== 'none'),
        badge: g.querySelector('.badge-unresolved') !== null,
        alternatives: bars.every((b) => b.querySelector('title')?.textContent.trim() && b.getAttribute('aria-label')),
        visible: bars.every((b) => b.getBoundingClientRect().width > 0),
      });
    }
    out[card.dataset.meetingId] = {rows, timelines: card.querySelectorAll('svg.timeline').length};
  }
  return out;
}"""

# Decode a PNG with the browser's own decoder; count non-white pixels and distinct colours.
PIXELS = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  let ink = 0; const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) ink++;
    colours.add((data[i] >> 3) << 10 | (data[i + 1] >> 3) << 5 | (data[i + 2] >> 3));
  }
  return {width: bitmap.width, height: bitmap.height, ink: ink / (data.length / 4), colours: colours.size};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"headless Chromium not installed ({CHROMIUM} missing; apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the browser test")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def report_file(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_atomic(tmp_path_factory.mktemp("html") / "report.html", render_html(report))


@pytest.fixture
def opened(browser: Any, report_file: Path) -> Iterator[tuple[Any, list[str]]]:
    """The report open in a fresh page; every request the page made (anything but the file is refused)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    url = report_file.as_uri()

    def route(route: Any) -> None:
        requested.append(route.request.url)
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url) if request.url != url else None)
    page.goto(url, wait_until="load")
    try:
        yield page, requested
    finally:
        context.close()


def test_rows_and_bars_in_the_dom(opened: tuple[Any, list[str]]) -> None:
    page, requested = opened
    found = page.evaluate(COLLECT)
    assert set(found) == set(TRUTH)
    for meeting_id, people in TRUTH.items():
        assert {who: row["category"] for who, row in found[meeting_id]["rows"].items()} == people
    m1 = found[M1]["rows"]
    assert {who: row["timeline"] for who, row in m1.items()} == TRUTH[M1]  # a timeline row per person
    assert {who: row["bars"] for who, row in m1.items() if row["bars"]} == M1_BARS
    assert all(row["alternatives"] and row["visible"] for row in m1.values())
    invitee, uninvited = m1["ada@corp.example"], m1["gus@partner.example"]
    assert "bar-invitee" in invitee["classes"] and "bar-uninvited" in uninvited["classes"]
    assert invitee["fills"] == ["rgb(37, 99, 235)"] and uninvited["fills"][0].startswith("url(")
    assert {who for who, row in m1.items() if row["badge"]} == {"Sam L", "Guest 4711"}
    assert {who for who, row in m1.items() if row["dashed"]} == {"Sam L", "Guest 4711"}
    assert found[U1]["rows"]["Visitor"]["badge"] and found[M2]["timelines"] == 0
    assert requested == [page.url]  # nothing but the file itself


def test_the_screenshot_is_not_blank(opened: tuple[Any, list[str]]) -> None:
    page, requested = opened
    card = page.locator(f'article[data-meeting-id="{M1}"] svg.timeline')
    png = card.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    pixels = page.evaluate(PIXELS, base64.b64encode(png).decode())
    assert (pixels["width"], pixels["height"]) == (width, height) and width > 600 and height > 300
    assert pixels["ink"] > 0.2  # the slot shading, bars and labels
    assert pixels["colours"] >= 8  # invitee blue, orange stripes, violet, grey, text...
    full = page.evaluate(PIXELS, base64.b64encode(page.screenshot()).decode())
    assert full["ink"] > 0.05 and full["colours"] >= 8
    assert requested == [page.url]


def test_narrow_screens_and_print(opened: tuple[Any, list[str]]) -> None:
    page, _ = opened
    page.set_viewport_size({"width": 400, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # wide tables and timelines scroll inside their cards
    page.emulate_media(media="print")
    box = page.locator(f'article[data-meeting-id="{M1}"] svg.timeline').bounding_box()
    assert box is not None and box["width"] > 300
