"""Importing the national system's contract list: 20,000 rows, as an XLSX workbook and as a
GB18030 CSV, checked whole and written, on SQLite and PostgreSQL.

Each measurement runs in a child process, so its peak resident memory (VmHWM, reset once the
app is loaded) is its own. The baseline is the same process reading the same file alone, every
row as text and nothing checked or written: the import's cost over the reading is the checking
(ID numbers, codes, amounts, dates), the encryption of the ID numbers and the writing.
"""

import csv
import io
import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import ric

from tests.factories import make_season, make_user
from webapp.config import PROJECT_ROOT
from webapp.models import Centre

from . import environment
from .report import Check, Section

ROWS = 20_000
TITLES = [
    "贷款金额",
    "合同编号",
    "借款学生姓名",
    "借款人证件号",
    "回执校验码",
    "签订日期",
    "贷款类型",
    "高校名称",
]
COLUMNS = {
    "amount": 0,
    "contract_number": 1,
    "name": 2,
    "id_number": 3,
    "receipt_code": 4,
    "date": 5,
    "loan_type": 6,
    "university": 7,
}
TIME_TARGET_S = 30
EXTRA_MEMORY_TARGET_MB = 100  # over reading the same file alone


def _id_number(n):
    body = f"140623{date(2004, 1, 1) + timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
    return body + ric.calc_check_digit(body + "0")


def _rows():
    return [
        [
            str(8000 + (n % 9) * 1000),
            f"HT2026{n:08d}",
            f"学生{n}",
            _id_number(n),
            f"R{n:07d}",
            f"2026-08-{n % 28 + 1:02d}",
            "首贷" if n % 5 else "续贷",
            "山西大学",
        ]
        for n in range(ROWS)
    ]


def _files(folder):
    rows = _rows()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in [TITLES] + rows:
        sheet.append(row)
    xlsx = folder / "national.xlsx"
    book.save(xlsx)
    text = io.StringIO()
    csv.writer(text).writerows([TITLES] + rows)
    gb = folder / "national.csv"
    gb.write_bytes(text.getvalue().encode("gb18030"))
    return {"xlsx": xlsx, "csv": gb}


SCRIPT = """
import json, sys, time
from webapp import create_app
from bench.environment import ID_NUMBER_KEYS
from webapp.models import Season, User
from webapp.services.common import table_files
from webapp.services.national import national_lists

def high_water_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

url, instance, mode, path, columns = sys.argv[1:6]
app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", **ID_NUMBER_KEYS})
with app.app_context():
    season, user = Season.get(), User.get(User.username == "bench-admin")
    with open(path, "rb") as handle:
        data = handle.read()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = high_water_kb()
    started = time.perf_counter()
    if mode == "read":
        count = sum(1 for _row in table_files.rows(path, data, national_lists.LIMITS)) - 1
    else:
        result = national_lists.import_list(season, "contracts", (path, data), json.loads(columns), user)
        assert result.ok, result.errors[:3]
        count = result.rows
    seconds = time.perf_counter() - started
print(json.dumps({"rows": count, "seconds": seconds, "before_kb": before, "peak_kb": high_water_kb()}))
"""


def _measure(url, instance, mode, path):
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, instance, mode, str(path), json.dumps(COLUMNS)],
        check=True,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run():
    rows, checks = [], []
    kinds = ["sqlite"] + (["postgresql"] if environment.postgres_answers() else [])
    with tempfile.TemporaryDirectory(prefix="bench-national-") as folder:
        files = _files(Path(folder))
        for kind in kinds:
            for fmt, path in files.items():
                with environment.seeded_app(kind) as site:
                    with site.app.app_context():
                        centre = Centre.select().first()
                        make_season(centre, year=2026, cap_undergraduate=20000, cap_postgraduate=25000)
                        make_user(centre, role="admin", username="bench-admin")
                    url, instance = site.app.config["DATABASE_URL"], site.app.instance_path
                    print(f"  national list: {kind} {fmt} …", flush=True)
                    read = _measure(url, instance, "read", path)
                    imported = _measure(url, instance, "import", path)
                size = path.stat().st_size / 1e6
                rows.append(
                    (kind, fmt, "read the file alone (baseline)", f"{read['seconds']:.1f} s",
                     f"{read['peak_kb'] / 1024:.0f} MB", f"{size:.1f} MB file")
                )  # fmt: skip
                rows.append(
                    (kind, fmt, f"check and import {imported['rows']:,} rows", f"{imported['seconds']:.1f} s",
                     f"{imported['peak_kb'] / 1024:.0f} MB",
                     f"{imported['seconds'] / max(read['seconds'], 0.001):.1f}× the reading; "
                     f"+{(imported['peak_kb'] - read['peak_kb']) / 1024:.0f} MB")
                )  # fmt: skip
                extra_mb = (imported["peak_kb"] - read["peak_kb"]) / 1024
                checks.append(
                    Check(
                        f"National list of {ROWS:,} rows, {fmt} ({kind})",
                        f"{imported['seconds']:.1f} s, +{extra_mb:.0f} MB over reading alone",
                        f"< {TIME_TARGET_S} s and < +{EXTRA_MEMORY_TARGET_MB} MB",
                        imported["seconds"] < TIME_TARGET_S and extra_mb < EXTRA_MEMORY_TARGET_MB,
                    )
                )
    method = (
        f"A national contract list of {ROWS:,} rows (valid ID numbers, amounts, contract numbers, "
        f"receipt codes, dates, loan types) saved as XLSX and as GB18030 CSV. In a child process "
        f"per measurement: the file's bytes in memory, peak resident memory reset, then either "
        f"every row read as text (baseline) or national_lists.import_list (every row checked, "
        f"then written in one transaction). Time is the wall clock of that call; memory is the "
        f"process's peak resident set (VmHWM) including the loaded app."
    )
    return Section(
        "Importing the national contract list",
        method,
        ["Database", "File", "What", "Time", "Peak memory", "Notes"],
        rows,
        checks,
    )


if __name__ == "__main__":
    section = run()
    for row in section.rows:
        print(" | ".join(str(cell) for cell in row))
    for check in section.checks:
        print(check)
