"""The HTML report in real headless Chromium: no console errors, elements present, clicking an
utterance moves the audio, the timeline seeks, a screenshot is saved (out/test-screenshots/)."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "out" / "test-screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path("/usr/bin/chromedriver").exists():
        pytest.fail("chromium-driver is not installed (/usr/bin/chromedriver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="coach-chromium-")
    opts = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              f"--user-data-dir={profile}", "--window-size=1300,2000",
              "--autoplay-policy=no-user-gesture-required"):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A real call assessed end to end (tiny.en, VAD, metrics, rubric) with its audio embedded."""
    from coach.assessment import AssessOptions, Assessor
    from coach.report import write_html

    res = Assessor(AssessOptions()).assess(REPO / "audio_samples" / "ben_2026-11-20_poor_en.flac")
    out = tmp_path_factory.mktemp("html") / "report.html"
    write_html(res.card, out, audio=res.audio)
    return out, res.card


def _errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_report_renders_and_plays_from_a_clicked_utterance(browser, report):
    from selenium.webdriver.common.by import By

    path, card = report
    browser.get(path.as_uri())
    time.sleep(0.5)
    assert _errors(browser) == []
    find = browser.find_element
    assert find(By.ID, "score").text.startswith(str(round(card.score)))
    items = browser.find_elements(By.CSS_SELECTOR, "#checklist li.item")
    assert len(items) == len(card.items)
    assert find(By.CSS_SELECTOR, "#timeline svg").size["width"] > 500
    assert find(By.CSS_SELECTOR, "#talk-chart svg")
    assert browser.find_elements(By.CSS_SELECTOR, "mark.ev.bad")  # "I don't know" highlighted
    assert "I don't know" in find(By.ID, "transcript").text
    assert find(By.ID, "feedback").text.strip()
    # the audio is embedded and decodable
    ready = browser.execute_script(
        "const a = document.getElementById('player');"
        "return new Promise(r => { if (a.readyState >= 1) r(a.duration);"
        " a.addEventListener('loadedmetadata', () => r(a.duration)); a.load(); });")
    assert abs(ready - card.transcript.duration) < 0.5
    turns = browser.find_elements(By.CSS_SELECTOR, ".turn[data-start]")
    target = next(t for t in turns if float(t.get_attribute("data-start")) > 20)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    target.click()
    time.sleep(0.3)
    t = browser.execute_script("return document.getElementById('player').currentTime")
    assert float(target.get_attribute("data-start")) - 0.1 <= t <= float(target.get_attribute("data-start")) + 2.0
    assert "current" in target.get_attribute("class")
    # clicking the timeline near its right end seeks near the end of the call
    tl = find(By.ID, "timeline")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", tl)
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_to_element_with_offset(tl, int(tl.size["width"] * 0.40), 0).click().perform()
    time.sleep(0.2)
    t2 = browser.execute_script("return document.getElementById('player').currentTime")
    assert 0.70 * card.transcript.duration < t2 < 0.98 * card.transcript.duration
    assert _errors(browser) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(SHOTS / "report.png"))


def test_summary_page_lists_calls_worst_first(browser, tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "tests" / "unit"))
    from assess_cards import make_card

    from coach.batch import Outcome
    from coach.report import write_summary_html

    outs = [Outcome("good.json", True, card=make_card(score=90, agent="anna")),
            Outcome("bad.json", True, card=make_card(score=35, agent="bo", hit_next=False)),
            Outcome("broken.json", False, error="turns[0]: empty turn (no text)")]
    page = write_summary_html(outs, tmp_path / "summary.html")
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    assert _errors(browser) == []
    rows = browser.find_elements(By.CSS_SELECTOR, "#calls tr.call")
    assert [r.text.split()[0] for r in rows] == ["35", "90"]
    assert "broken.json" in browser.find_element(By.ID, "failures").text
    assert browser.find_element(By.ID, "n-failed").text == "1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "summary.png"))
