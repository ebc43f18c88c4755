"""HTML to PDF with WeasyPrint, set up once per process: one font configuration and one
stylesheet (the print CSS and the slim CJK faces), reused by every document.

Layout costs about 70 ms a page whatever the fonts, so a large batch is cut in parts laid out
side by side in worker processes (one per core, started by a fork server on first use) and the
parts are joined into one PDF."""

import io
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pypdf import PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from webapp.services.printing.fonts import font_face_css, font_status

_worker_renderer = None
_pool = None
_pool_lock = threading.Lock()


def _worker_pool():
    """One pool per server process, started on the first large batch and kept."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=os.cpu_count() or 2, mp_context=multiprocessing.get_context("forkserver")
            )
        return _pool


def _render_in_worker(settings, html):
    """Runs in a worker process, which keeps its own renderer between parts."""
    global _worker_renderer
    if _worker_renderer is None or _worker_renderer.settings != settings:
        _worker_renderer = PdfRenderer(*settings)
    return _worker_renderer.render(html)


def join_pdfs(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class FontsMissing(RuntimeError):
    """No CJK font is installed: a PDF would print Chinese as empty boxes."""


class PdfRenderer:
    def __init__(self, font_dir, stylesheet, base_url):
        self.settings = (str(font_dir), str(stylesheet), str(base_url))
        self.status = font_status(font_dir)
        self.base_url = base_url
        self._font_config = FontConfiguration()
        css = font_face_css(font_dir, self.status) + "\n" + Path(stylesheet).read_text(encoding="utf-8")
        self._css = CSS(string=css, font_config=self._font_config, base_url=base_url)
        self._lock = threading.Lock()  # WeasyPrint's font configuration is not shared across threads

    def render(self, html: str) -> tuple[bytes, int]:
        """(pdf bytes, number of pages) for an HTML document."""
        if not self.status.ok:
            raise FontsMissing(", ".join(self.status.missing_families))
        with self._lock:
            document = HTML(string=html, base_url=self.base_url).render(
                stylesheets=[self._css], font_config=self._font_config
            )
            return document.write_pdf(), len(document.pages)

    def render_parts(self, htmls: list[str]) -> tuple[bytes, int]:
        """(one PDF, pages) from several HTML documents laid out in parallel."""
        if len(htmls) == 1:
            return self.render(htmls[0])
        if not self.status.ok:
            raise FontsMissing(", ".join(self.status.missing_families))
        parts = list(_worker_pool().map(_render_in_worker, [self.settings] * len(htmls), htmls))
        return join_pdfs([pdf for pdf, _pages in parts]), sum(pages for _pdf, pages in parts)
