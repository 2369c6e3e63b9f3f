"""Drive the explorer page in headless Chromium, as an analyst would: for its test, its benchmark
and the README's picture (experiments/browser.py).

Chromium is Debian's `chromium` package (the README's test command installs it when missing);
Playwright drives it through `executable_path`, so nothing is downloaded. The flags are those
that keep Chromium from reaching out to a network this machine does not have.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, suppress
from typing import Any, Iterator

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """Chromium's path: $CHROMIUM, else `chromium` (Debian) or `chromium-browser` on the PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@contextmanager
def served(timeout: float = 120.0) -> Iterator[str]:
    """`python -m sim.explorer` on a free port, for as long as the block runs; yields its address."""
    with serving(timeout) as (_, url):
        yield url


@contextmanager
def serving(timeout: float = 120.0) -> Iterator[tuple[subprocess.Popen, str]]:
    """`served`, yielding the server's process too, for a test that signals it."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sim.explorer", "--no-open", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: whatever it leaves running stops with it
    )
    url = f"http://localhost:{port}"
    try:
        start = time.time()
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the explorer exited with code {server.returncode} before serving {url}")
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if time.time() - start > timeout:
                    raise RuntimeError(f"the explorer did not answer at {url} within {timeout:.0f} s") from None
                time.sleep(0.5)
        yield server, url
    finally:
        with suppress(ProcessLookupError):  # the group is gone if the block stopped the server
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


@contextmanager
def page_at(url: str, width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A Playwright page in headless Chromium, opened at `url` and ready to use (workers warm)."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    if path is None:
        raise RuntimeError("no Chromium found: install Debian's chromium package or set $CHROMIUM")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
            page.goto(url, timeout=120_000)
            page.get_by_text("workers ready").wait_for(timeout=120_000)
            yield page
        finally:
            browser.close()


def choose(page: Any, label: str, option: str) -> None:
    """Pick `option` in the drop-down list labelled `label`."""
    page.get_by_label(label, exact=True).click(force=True)
    page.get_by_role("option", name=option, exact=True).click()


def fill(page: Any, label: str, value: Any) -> None:
    """Type `value` into the text field whose label starts with `label`, and leave the field."""
    field = page.get_by_label(re.compile("^" + re.escape(label)))
    field.fill(str(value))
    field.press("Enter")


def run(page: Any, timeout: float = 300.0) -> float:
    """Press Run and wait for every figure; returns the seconds from the press to the first figure."""
    start = time.time()
    page.get_by_role("button", name="Run", exact=True).click()
    page.locator(".figure-card img").first.wait_for(timeout=timeout * 1000)
    first = time.time() - start
    drawn = page.locator(".figures-drawn").filter(has_text=re.compile(r"^(\d+) of \1 figures"))
    drawn.wait_for(timeout=timeout * 1000)
    n = int(drawn.inner_text().split()[0])
    page.wait_for_function(  # the last figure's image can reach the page a moment after the count does
        "n => { const imgs = [...document.querySelectorAll('.figure-card img')];"
        " return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0); }",
        arg=n,
        timeout=timeout * 1000,
    )
    return first


def key_numbers(page: Any) -> list[list[str]]:
    """The key-number table as its rows of cell texts, the header first."""
    return page.locator("table.key-numbers").evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
