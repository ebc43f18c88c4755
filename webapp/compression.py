"""Compressed answers (brotli or gzip, as the browser accepts): pages, styles, scripts and JSON
are text, and a phone on a weak school network downloads a third of them. Streamed answers
(large exports) are left as they are, so that they keep streaming."""

from flask import request
from flask_compress import Compress

compress = Compress()

TEXT_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
]


def init_app(app):
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.after_request  # registered after Flask-Compress's hook, so it runs before it
    def _static_text_compressible(response):
        """Static files are passed through untouched by default; the text ones are compressed."""
        if request.endpoint == "static" and response.direct_passthrough and response.mimetype in TEXT_TYPES:
            response.direct_passthrough = False
            response.make_sequence()  # read the file: a small whole body, not a stream
        return response
