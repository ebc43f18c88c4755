"""A table of rows as a file to download: CSV streamed as it is read, or XLSX written to a
temporary file (services/reports/exports.py), with a file name that says what it holds."""

from urllib.parse import quote

from flask import Response, send_file, stream_with_context

from webapp.services.reports import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet(columns: list, rows, name: str, fmt: str, title: str = "export") -> Response:
    """name without its extension; fmt is csv or xlsx."""
    filename = f"{name}.{fmt}"
    if fmt == "csv":
        # the rows are read while the body streams, inside the request (its app and database)
        response = Response(
            stream_with_context(exports.csv_chunks(columns, rows)), content_type="text/csv; charset=utf-8"
        )
        response.headers.set("Content-Disposition", "attachment", **_file_name_parameters(filename))
        return response
    return send_file(
        exports.xlsx_file(columns, rows, title), as_attachment=True, download_name=filename, mimetype=XLSX
    )


def _file_name_parameters(name):
    """filename for old programs (ASCII) and filename* for the real, possibly Chinese, name."""
    ascii_name = name.encode("ascii", "ignore").decode().replace("--", "-") or "export"
    return {"filename": ascii_name, "filename*": "UTF-8''" + quote(name)}
