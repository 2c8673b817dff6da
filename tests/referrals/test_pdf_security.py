"""Rendering is safe: patient text cannot read the server's files, embed them, or call out.

A canary HTTP server on 127.0.0.1 counts every request made to it; the letters must make none.
"""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from referrals.pdf import (
    ASSET_BASE_URL,
    RefusedURL,
    StaticOnlyURLFetcher,
    html_to_pdf,
    static_asset_path,
)
from referrals.services.letters import letter_read_verified, letter_render
from tests.referrals.factories import pdf_text, signed_referral


class _Canary:
    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                canary.requests.append(self.path)
                body = b"@import url(file:///etc/passwd); CANARY-BODY"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Canary:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary() -> Iterator[_Canary]:
    with _Canary() as server:
        yield server


def _hostile(port: int) -> dict[str, str]:
    return {
        "image": '<img src="file:///etc/passwd">',
        "attachment": '<link rel=attachment href="file:///etc/hostname">',
        "canary_image": f'<img src="http://127.0.0.1:{port}/canary">',
        "import": f"@import url(http://127.0.0.1:{port}/x.css)",
    }


def _assert_nothing_leaked(pdf: bytes, canary: _Canary) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert canary.requests == []
    assert dict(reader.attachments) == {}
    assert b"/EmbeddedFile" not in pdf
    assert b"/FileAttachment" not in pdf
    text = pdf_text(pdf)
    assert "root:x:0:0" not in text
    assert "CANARY-BODY" not in text


@pytest.mark.django_db
def test_it_renders_hostile_patient_text_as_text_without_fetching_or_embedding_anything(
    canary,
) -> None:
    hostile = _hostile(canary.port)
    referral = signed_referral(
        first_name=hostile["image"],
        last_name=hostile["attachment"],
        clinical_question=f"{hostile['canary_image']} {hostile['import']}",
        notes=f"<style>{hostile['import']}</style> {hostile['canary_image']} {hostile['image']}",
    )

    letter = letter_render(letter_id=referral.letters.get().pk)

    pdf = letter_read_verified(letter=letter)
    _assert_nothing_leaked(pdf, canary)
    text = pdf_text(pdf)
    # The markup is printed as the characters the patient typed: escaped, not interpreted.
    assert 'src="file:///etc/passwd">' in text
    assert f"@import url(http://127.0.0.1:{canary.port}/x.css)" in text


@pytest.mark.django_db
def test_even_unescaped_hostile_markup_cannot_reach_files_or_the_network(canary) -> None:
    # Defence in depth: were a template ever to forget escaping, the fetcher still refuses.
    hostile = _hostile(canary.port)
    html = (
        "<html><head>"
        f"<style>{hostile['import']}</style>"
        f'<link rel="stylesheet" href="http://127.0.0.1:{canary.port}/style.css">'
        f"{hostile['attachment']}"
        "</head><body>"
        f"{hostile['image']}{hostile['canary_image']}"
        f'<object data="http://127.0.0.1:{canary.port}/object"></object>'
        f'<p style="background: url(http://127.0.0.1:{canary.port}/bg.png)">x</p>'
        '<img src="/static/../config/settings.py"><img src="file:///etc/hostname">'
        "</body></html>"
    )

    pdf = html_to_pdf(html)

    _assert_nothing_leaked(pdf, canary)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/img/clinic-logo.svg",
        "ftp://127.0.0.1/x.png",
        f"{ASSET_BASE_URL}static/../config/settings.py",
        f"{ASSET_BASE_URL}static/js/review.js",
        f"{ASSET_BASE_URL}static/img/clinic-logo.svg?x=1",
        f"{ASSET_BASE_URL}media/x.png",
    ],
)
def test_the_fetcher_refuses_anything_but_the_apps_own_images(url: str) -> None:
    with pytest.raises((RefusedURL, ValueError)):
        StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_serves_the_apps_static_logo() -> None:
    response = StaticOnlyURLFetcher().fetch(f"{ASSET_BASE_URL}static/img/clinic-logo.svg")

    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")


def test_the_fetcher_serves_data_uris() -> None:
    response = StaticOnlyURLFetcher().fetch("data:text/plain;base64,aGVsbG8=")

    assert response.read() == b"hello"


def test_a_static_path_may_not_climb_out_of_static() -> None:
    with pytest.raises(RefusedURL):
        static_asset_path(f"{ASSET_BASE_URL}static/img/%2e%2e/%2e%2e/config/settings.py")


def test_the_fetcher_serves_collected_static_files_under_their_hashed_names(
    settings, tmp_path
) -> None:
    # In production {% static %} names the hashed copy that collectstatic put under STATIC_ROOT.
    settings.STATIC_ROOT = tmp_path / "static"
    hashed = settings.STATIC_ROOT / "img" / "clinic-logo.0123456789ab.svg"
    hashed.parent.mkdir(parents=True)
    hashed.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    response = StaticOnlyURLFetcher().fetch(f"{ASSET_BASE_URL}static/img/{hashed.name}")

    assert response.read() == hashed.read_bytes()
