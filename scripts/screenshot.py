"""Take the README's screenshot of the dashboard: docs/screenshot-dashboard.png.

    .venv/bin/python scripts/screenshot.py [--out PATH] [--creators N]

Loads the demo workspace (`infludesk demo`) into a throwaway SQLite database in a temporary
folder, serves it on a free 127.0.0.1 port, signs in as the demo user in Debian's headless
chromium and saves a PNG of the dashboard. Nothing outside the temporary folder and the output
file is touched; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_BYTES = 300_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own 127.0.0.1 server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def demo_login() -> tuple[str, str]:
    """The published demo login, read from the generator so the two never disagree."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infludesk.settings")
    django.setup()
    from infludesk.demo.generator import DEMO_EMAIL, DEMO_PASSWORD

    return DEMO_EMAIL, DEMO_PASSWORD


def shoot(base: str, out: Path, email: str, password: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"{base}/account/login/")
            page.fill("input[name=username]", email)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.wait_for_selector("#content .chart .main-svg", timeout=20_000)
            page.wait_for_timeout(500)  # let Plotly finish its layout pass
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-dashboard.png")
    parser.add_argument("--creators", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="infludesk-shot-") as tmp:
        env = {**os.environ, "INFLUDESK_VAR_DIR": tmp, "DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        os.environ.update({"INFLUDESK_VAR_DIR": tmp, "DEBUG": "1"})
        os.environ.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "infludesk"]
        subprocess.run(  # noqa: S603 (fixed arguments)
            [*cli, "demo", "--creators", str(options.creators)], env=env, check=True, cwd=tmp
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [*cli, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/account/login/")
            email, password = demo_login()
            options.out.parent.mkdir(parents=True, exist_ok=True)
            shoot(base, options.out, email, password)
        finally:
            server.terminate()
            server.wait(timeout=15)
    size = options.out.stat().st_size
    print(f"wrote {options.out} ({size:,} bytes)")
    if size > MAX_BYTES:
        raise SystemExit(f"{options.out} is larger than {MAX_BYTES:,} bytes")


if __name__ == "__main__":
    main()
