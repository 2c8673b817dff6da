"""The one way this project makes a PDF: a Django template -> HTML -> WeasyPrint.

Patient text reaches the PDF only through autoescaped templates, and WeasyPrint may fetch nothing
but the app's own static files and `data:` URIs (`StaticOnlyURLFetcher`): no `file://`, no
network, no redirects, so a crafted name or note can neither read the server's files nor call
out. Print CSS is read from templates/pdf/ and passed as a string, never as a URL.

A worker process keeps one FontConfiguration and one parsed stylesheet per paper size: building
them for every letter costs tens of milliseconds and grows the process by a fraction of a
megabyte each time.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the letter templates ({% static %} gives "/static/...") resolve against this
# base. The ".invalid" top-level domain can never resolve, so even a fetch that slipped past the
# fetcher could not leave the machine.
ASSET_BASE_URL = "https://letter-assets.invalid/"
_ASSET_HOST = urlsplit(ASSET_BASE_URL).netloc
PRINT_CSS_TEMPLATE = "pdf/letter.css"
# Static assets a letter may embed; anything else under static/ (scripts, vendor CSS) is refused.
_ASSET_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"})


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside the app's own assets."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `data:` URIs and the app's static images; refuses every other URL.

    WeasyPrint catches the RefusedURL, logs a warning and leaves the resource out, so a refused
    image is simply absent from the letter.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=frozenset({"data"}), allow_redirects=False)
        self._assets: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            # urllib's DataHandler decodes it; allowed_protocols limits the parent to data:.
            return super().fetch(url, headers)
        body, content_type = self._asset(url)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def _asset(self, url: str) -> tuple[bytes, str]:
        relative = static_asset_path(url)
        with self._lock:
            cached = self._assets.get(relative)
        if cached is not None:
            return cached
        found = _find_asset(relative)
        if not found:
            raise RefusedURL(f"no such static asset: {relative}")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        asset = (Path(found).read_bytes(), content_type)
        with self._lock:
            self._assets[relative] = asset
        return asset


def _find_asset(relative: str) -> str | None:
    """The file of a static asset: collected under STATIC_ROOT (production, where {% static %}
    gives hashed names), else from the app's static folders (development)."""
    try:
        if staticfiles_storage.exists(relative):
            return staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    return finders.find(relative)


def static_asset_path(url: str) -> str:
    """The path under STATIC_URL that `url` names, or RefusedURL if it is not one of our images."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != _ASSET_HOST or parts.query or parts.fragment:
        raise RefusedURL("only the app's own static assets may be fetched")
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(static_prefix):
        raise RefusedURL("only the app's own static assets may be fetched")
    relative = path[len(static_prefix) :]
    normalised = posixpath.normpath(relative)
    if normalised != relative or normalised.startswith(("../", "/")) or "\\" in relative:
        raise RefusedURL("path traversal refused")
    if posixpath.splitext(relative)[1].lower() not in _ASSET_SUFFIXES:
        raise RefusedURL("only images may be fetched")
    return relative


_state = threading.local()


def _font_config() -> FontConfiguration:
    # One per process (thread): reused across letters, so memory stays flat over thousands.
    config = getattr(_state, "font_config", None)
    if config is None:
        config = _state.font_config = FontConfiguration()
    return config


def _url_fetcher() -> StaticOnlyURLFetcher:
    fetcher = getattr(_state, "url_fetcher", None)
    if fetcher is None:
        fetcher = _state.url_fetcher = StaticOnlyURLFetcher()
    return fetcher


def print_css(paper_size: str | None = None) -> str:
    """The letters' print stylesheet (templates/pdf/letter.css) for a paper size."""
    return _print_css(paper_size or settings.LETTER_PAPER_SIZE)


@lru_cache(maxsize=4)
def _print_css(paper_size: str) -> str:
    return render_to_string(PRINT_CSS_TEMPLATE, {"paper_size": paper_size})


def _stylesheet(paper_size: str) -> CSS:
    sheets: dict[str, CSS] = getattr(_state, "stylesheets", None) or {}
    _state.stylesheets = sheets
    sheet = sheets.get(paper_size)
    if sheet is None:
        sheet = sheets[paper_size] = CSS(
            string=print_css(paper_size),
            base_url=ASSET_BASE_URL,
            url_fetcher=_url_fetcher(),
            font_config=_font_config(),
        )
    return sheet


def render_letter_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The letter's HTML: the same markup the PDF is made from (the clinician's preview)."""
    return render_to_string(template_name, dict(context))


def html_to_pdf(html: str, *, paper_size: str | None = None) -> bytes:
    """WeasyPrint with the app's fetcher, fonts and print CSS. Callers pass template output."""
    size = paper_size or settings.LETTER_PAPER_SIZE
    document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=_url_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet(size)], font_config=_font_config())


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """Template -> HTML -> PDF bytes. The only function that makes a letter or handout."""
    return html_to_pdf(render_letter_html(template_name, context))
