"""The dashboard in a real browser: Debian's Chromium, driven through
chromedriver by Selenium, against a real ``serah serve`` process on a
loopback port serving the demo ledger (the dashboard is mounted at ``/``). One browser session for the module; the tests run in file
order (the last one changes the ledger).

Screenshots are written to tests/artifacts/dashboard/ (ignored by git).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import demo
from ledger import keys
from ledger.application import Ledger
from support import ARTIFACTS, REPO_ROOT
from support.cli import PASSPHRASE
from support.serve import Server

selenium = pytest.importorskip("selenium", reason="selenium not installed (pip install '.[test]')")
from selenium import webdriver  # noqa: E402 - only once importorskip found selenium
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402 - only once importorskip found selenium
from selenium.webdriver.chrome.service import Service  # noqa: E402 - only once importorskip found selenium
from selenium.webdriver.common.by import By  # noqa: E402 - only once importorskip found selenium
from selenium.webdriver.common.keys import Keys  # noqa: E402 - only once importorskip found selenium
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402 - only once importorskip found selenium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="chromium and chromedriver not installed (apt-get install chromium chromium-driver)"
)

DASHBOARD_ARTIFACTS = ARTIFACTS / "dashboard"
SHORT_ITEM = demo.ballots_id(demo.SHORT_TPS, demo.SHORT_TYPE)  # KS-3101021003002-DPD-SS
LATE_BOX = demo.box_id(demo.LATE_TPS, "PPWP")  # back in the KPU warehouse at the end of the demo


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """``serah serve`` (its own process) on the demo ledger, dashboard at ``/``."""
    root = tmp_path_factory.mktemp("dashboard")
    db = root / "demo.sqlite"
    demo.build(str(db))
    # The demo's keys come from fixed seeds (cli/demo.py); write the ones this
    # test signs or names with, and the log key, as key files for the real CLI.
    folder = root / "home" / "keys"
    folder.mkdir(parents=True)
    for name in ("kpu-3101", "ppk-310102", "polair-2", "log-key"):
        seed = hashlib.sha256(f"serah-demo/v1/{name}".encode()).digest()
        keys.save(keys.from_seed(seed), folder / f"{name}.key", PASSPHRASE, name)
    with Server(str(db), folder / "log-key.key", root / "home") as server:
        yield {"url": server.url, "db": db, "home": root / "home", "root": root}


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=id-ID", "--no-first-run", "--disable-extensions"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    DASHBOARD_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name: str) -> Path:
    path = DASHBOARD_ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait_text(driver, css: str, text: str, timeout: float = 15) -> str:
    """Wait until an element ``css`` of a finished page contains ``text``; return its text."""
    def found(d):
        if d.find_element(By.ID, "main").get_attribute("aria-busy") != "false":
            return False
        for el in d.find_elements(By.CSS_SELECTOR, css):
            if text in el.text:
                return el.text
        return False

    wait = WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException])
    return wait.until(found, message=f"{text!r} never appeared in {css}")


def open_page(driver, url: str, fragment: str) -> None:
    """Load ``url`` at ``fragment`` and wait until that page has rendered."""
    driver.get(url + "/" + fragment)
    WebDriverWait(driver, 15).until(
        lambda d: d.find_element(By.ID, "main").get_attribute("data-route") == fragment
        and d.find_element(By.ID, "main").get_attribute("aria-busy") == "false",
        message=f"page {fragment} never rendered",
    )


def press(driver, css: str, *keys: str) -> None:
    """Send ``keys`` to the element ``css`` (found again if a render replaced it)."""
    for _ in range(20):
        try:
            driver.find_element(By.CSS_SELECTOR, css).send_keys(*keys)
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{css} kept being replaced")


def serah(site, *args: str) -> str:
    """The real ``serah`` command, talking to the server (``--server``)."""
    env = dict(os.environ, SERAH_HOME=str(site["home"]), SERAH_PASSPHRASE=PASSPHRASE, SERAH_LANG="en",
               PYTHONPATH=str(REPO_ROOT))  # fmt: skip
    env.pop("SERAH_AS", None)
    env.pop("SERAH_DB", None)
    done = subprocess.run([sys.executable, "-m", "cli.main", "--server", site["url"], *args],
                          env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_readiness_at_h1_shows_87_of_88_and_names_pulau_pari(site, browser):
    browser.get(site["url"] + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
    wait_text(browser, "#readiness-summary", "87 dari 88 TPS siap pada 2024-02-13 23:59 WIB")
    open_page(browser, site["url"], "#/readiness/3101")
    summary = wait_text(browser, "#readiness-summary", "87 dari 88 TPS siap")
    assert "2024-02-13 23:59 WIB" in summary
    table = wait_text(browser, "#not-ready", "TPS 005 Pulau Pari")
    assert "KS-3101021003005-PPWP-SS" in table and "PPWP 0/254" in table
    cells = {c.get_attribute("data-code"): c.text for c in browser.find_elements(By.CSS_SELECTOR, "#grid .cell")}
    assert cells == {"310101": "Kepulauan Seribu Utara\n52 / 52", "310102": "Kepulauan Seribu Selatan\n35 / 36"}
    shot(browser, "1-readiness-h1")


def test_drill_down_and_search_by_keyboard(site, browser):
    open_page(browser, site["url"], "#/readiness/3101")
    press(browser, '#grid .cell[data-code="310102"]', Keys.ENTER)  # a grid cell is a link: Enter drills down
    wait_text(browser, "#readiness-summary", "35 dari 36 TPS siap")
    press(browser, '#grid .cell[data-code="3101021003"]', Keys.ENTER)
    wait_text(browser, "#not-ready", "TPS 005 Pulau Pari")
    assert "c-ok" not in browser.find_element(By.CSS_SELECTOR, f'#grid .cell[data-code="{demo.LATE_TPS}"]').get_attribute("class")
    shot(browser, "2-readiness-village-grid")
    # "/" jumps to the search box from anywhere; a scanner types the label and Enter.
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "q"
    active.send_keys(SHORT_ITEM.lower(), Keys.ENTER)
    wait_text(browser, "h2", "Rantai kustodi: " + SHORT_ITEM)


def test_searching_the_short_batch_shows_the_short_count_of_6(site, browser):
    open_page(browser, site["url"], "#/readiness")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(SHORT_ITEM, Keys.ENTER)
    flagged = wait_text(browser, "#timeline li.has-disc", "kurang 6")
    assert "dinyatakan 260 → diamati 254 (kurang 6)" in flagged
    assert "terima" in flagged and "2024-01-08 15:00 WIB" in flagged
    assert "Ditandatangani: ✔ Ketua KPU Kab. Adm. Kepulauan Seribu" in flagged or "Ketua KPU Kab. Adm." in flagged
    assert wait_text(browser, "#disc-count", "1 selisih tercatat")
    entries = browser.find_elements(By.CSS_SELECTOR, "#timeline > li")
    assert len(entries) == len(Ledger(str(site["db"])).history(SHORT_ITEM))  # the trail serah history shows
    assert any("melalui kotak KS-3101021003002-DPD" in e.text for e in entries)
    assert "api/evidence?item=" + SHORT_ITEM in browser.find_element(By.ID, "evidence").get_attribute("href")
    shot(browser, "3-item-short-count")
    # The record link opens the record with its checked inclusion proof.
    press(browser, '#timeline li.has-disc a[href^="#/record/"]', Keys.ENTER)
    wait_text(browser, "main", "termasuk dalam checkpoint ukuran")


def test_english_switch(site, browser):
    open_page(browser, site["url"], "#/item/" + SHORT_ITEM)
    wait_text(browser, "#timeline li.has-disc", "kurang 6")
    press(browser, "#lang", Keys.ENTER)
    wait_text(browser, "#timeline li.has-disc", "declared 260 → observed 254 (short by 6)")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert wait_text(browser, "header nav", "TPS readiness")
    assert browser.find_element(By.ID, "lang").text == "Bahasa Indonesia"
    shot(browser, "4-item-english")
    open_page(browser, site["url"], "#/readiness/3101021003")  # a reload keeps English (cookie)
    wait_text(browser, "#not-ready", "Polling station 005, Pulau Pari")
    wait_text(browser, "#readiness-summary", "9 of 10 TPS ready at 2024-02-13 23:59 WIB")
    open_page(browser, site["url"], "#/discrepancies?kind=qty&status=all&place=&offset=0")
    register = wait_text(browser, "#register", SHORT_ITEM)
    assert "2024-01-08 15:00 WIB quantity " + SHORT_ITEM + " 260 254" in register
    open_page(browser, site["url"], "#/integrity")
    wait_text(browser, "#quorum", "Quorum: 1 of 1 witnesses")
    wait_text(browser, "#witnesses", demo.WITNESS_NAME)
    wait_text(browser, "#verified", "Checked by this server, now")
    checked = wait_text(browser, "#verified", "Last checked by a witness")
    assert demo.WITNESS_NAME in checked and "a witness does not read the records" in checked
    shot(browser, "5-integrity-english")
    press(browser, "#lang", Keys.ENTER)
    wait_text(browser, "header nav", "Kesiapan TPS")


def test_a_handover_submitted_through_the_cli_appears_without_a_reload(site, browser):
    open_page(browser, site["url"], "#/item/" + LATE_BOX)
    wait_text(browser, "h2", LATE_BOX)
    before = len(browser.find_elements(By.CSS_SELECTOR, "#timeline > li"))
    browser.execute_script("window.__sameDocument = true;")
    handover = site["root"] / "to-ppk.serah"
    serah(site, "handover", "prepare", LATE_BOX, "--to", "ppk-310102", "--site", "Gudang logistik KPU",
          "--purpose", "uji pusat pemantauan", "--escort", "polair-2", "-o", str(handover), "--as", "kpu-3101")  # fmt: skip
    prepared = wait_text(browser, '#timeline > li[data-type="handover.prepare"]:last-child', "serah terima (penyerahan)")
    assert "Disebut tetapi tidak menandatangani" in prepared
    assert "Bripka Ditpolairud (kapal 2)" in prepared and "penerima, belum menjawab" in prepared
    wait_text(browser, "#live", "rekaman baru masuk")
    last = browser.find_elements(By.CSS_SELECTOR, "#timeline > li")[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'end'});", last)
    shot(browser, "6-live-prepared")
    serah(site, "handover", "accept", str(handover), "--as", "ppk-310102")
    accepted = wait_text(browser, '#timeline > li[data-type="handover.accept"]:last-child', "terima")
    assert "Ketua PPK Kepulauan Seribu Selatan" in accepted
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline > li")) == before + 2
    assert browser.execute_script("return window.__sameDocument === true;")  # no reload happened
    prepare_li = browser.find_elements(By.CSS_SELECTOR, "#timeline > li")[-2]
    assert "diterima" in prepare_li.text and "penerima, belum menjawab" not in prepare_li.text
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight);")
    shot(browser, "7-live-accepted")
