"""Bytes on the wire of the patient's pages, cold, as a phone on a first visit downloads them.

    .venv/bin/python bench/patient_pages.py [--lighthouse /path/to/node_modules/.bin/lighthouse]

1. Builds a production-like app in a temporary folder: DEBUG=false (WhiteNoise serves
   collectstatic's compressed, hashed files), SQLite, HTTPS=false because it is plain loopback,
   and one patient with a fresh link.
2. Serves it with gunicorn on a free loopback port.
3. In Debian's chromium (Playwright), with an empty cache for each page: opens the link (it
   lands on the start page), then the first step alone, then the second step after a full first
   step was posted. Sums the bytes transferred (headers + compressed bodies, as Chromium counts
   them) of every request the page made, favicon included. Goal: the first step <= 35 kB.
4. With --lighthouse, runs Lighthouse (mobile, its default) on the same pages and prints its
   performance, accessibility and best-practices scores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import free_port, gunicorn  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
GOAL_BYTES = 35_000


def _prepare(env: dict[str, str]) -> str:
    """Migrate, collect the static files and make one patient's link; returns its token."""
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    script = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from intake import services\n"
        "patient = services.patient_register(mrn='B1', first_name='Ada', last_name='Runner',"
        " date_of_birth=dt.date(1990, 1, 1), created_by=None)\n"
        "intake = services.intake_create(patient=patient, visit_date=dt.date.today(),"
        " created_by=None)\n"
        "print(services.invitation_create(intake=intake, channel='copy', created_by=None,"
        " now=timezone.now()).token)\n"
    )
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _transferred(page, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Load `url` and sum what each finished request cost on the wire."""
    rows: list[tuple[str, int]] = []

    def finished(request) -> None:
        sizes = request.sizes()
        rows.append((request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))

    page.on("requestfinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    return sum(size for _, size in rows), rows


def _cold_page(browser, cookies: list[dict]) -> object:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies(cookies)
    return context.new_page()


def _lighthouse(binary: str, url: str, cookie_header: str) -> dict[str, int | str]:
    out = subprocess.run(
        [
            binary,
            url,
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility,best-practices",
            f"--extra-headers={json.dumps({'Cookie': cookie_header})}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=os.environ | {"CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"failed": out.stderr.strip().splitlines()[-1][:200]}
    categories = json.loads(out.stdout)["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", help="path of the lighthouse CLI (npm package)")
    parser.add_argument("--details", action="store_true", help="list every request")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-patient-pages-"))
    port = free_port()
    env = os.environ | {
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "VAR_DIR": str(workdir / "var"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CI", None)
    token = _prepare(env)
    server = gunicorn(port=port, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-quic"]
            )
            page = _cold_page(browser, [])
            start, start_rows = _transferred(page, f"{base}/p/{token}/")
            cookies = page.context.cookies()
            page.context.close()

            page = _cold_page(browser, cookies)
            first, first_rows = _transferred(page, f"{base}/form/where/")
            page.context.close()

            report = {
                "the link and start page": (start, start_rows),
                "the first step (where)": (first, first_rows),
            }
            browser.close()
        for name, (total, rows) in report.items():
            print(f"{name:28} {total / 1000:6.1f} kB on the wire, {len(rows)} requests")
            if args.details:
                for url, size in rows:
                    print(f"    {size:7,d} B  {url.removeprefix(base)}")
        verdict = "within" if first <= GOAL_BYTES else "OVER"
        print(f"goal: first step <= {GOAL_BYTES / 1000:.0f} kB: {verdict}")

        if args.lighthouse:
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
            for path in ["/form/", "/form/where/", "/form/care/", "/form/review/"]:
                scores = _lighthouse(args.lighthouse, base + path, cookie)
                print(
                    f"lighthouse mobile {path:15} "
                    + ", ".join(f"{k} {v}" for k, v in scores.items())
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
