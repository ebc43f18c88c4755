"""HTML to PDF with WeasyPrint, set up once per process: one font configuration and one
stylesheet (the print CSS and the slim CJK faces), reused by every document."""
import threading
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fonts import font_face_css, font_status


class FontsMissing(RuntimeError):
    """No CJK font is installed: a PDF would print Chinese as empty boxes."""


class PdfRenderer:
    def __init__(self, font_dir, stylesheet, base_url):
        self.status = font_status(font_dir)
        self.base_url = base_url
        self._font_config = FontConfiguration()
        css = font_face_css(font_dir, self.status) + "\n" + Path(stylesheet).read_text(encoding="utf-8")
        self._css = CSS(string=css, font_config=self._font_config, base_url=base_url)
        self._lock = threading.Lock()  # WeasyPrint's font configuration is not shared across threads

    def render(self, html):
        """(pdf bytes, number of pages) for an HTML document."""
        if not self.status.ok:
            raise FontsMissing(", ".join(self.status.missing_families))
        with self._lock:
            document = HTML(string=html, base_url=self.base_url).render(
                stylesheets=[self._css], font_config=self._font_config)
            return document.write_pdf(), len(document.pages)
