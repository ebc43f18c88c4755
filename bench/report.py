"""The results as docs/benchmarks.md: when, on what machine, and each target met or missed."""

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field

from . import environment


@dataclass
class Check:
    """One target: what was measured against what was required."""

    name: str
    measured: str
    target: str
    passed: bool


@dataclass
class Section:
    """One benchmark: how it was measured, its numbers as a table, and its checks."""

    title: str
    method: str
    headers: list
    rows: list
    checks: list = field(default_factory=list)


def _command(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()


def _cpu_model():
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine():
    """The facts that make numbers from two runs comparable (or not)."""
    return [
        ("Date (UTC)", _command("date", "-u")),
        ("Machine", _command("uname", "-a")),
        ("CPU", _cpu_model()),
        ("Cores", str(os.cpu_count())),
        ("Load average at start (1, 5, 15 min)", ", ".join(f"{load:.2f}" for load in os.getloadavg())),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", environment.postgres_version() if environment.postgres_answers() else "not running"),
    ]


def _table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(passed):
    return "pass" if passed else "FAIL"


def markdown(facts, sections):
    checks = [check for section in sections for check in section.checks]
    parts = [
        "# Benchmarks",
        "Written by `make bench` (the everyday set, `python -m bench.run`) and `make bench-province` "
        "(the long set, `python -m bench.run --province`); each benchmark replaces its own section "
        "and rows when it finishes, and keeps the others'. Speed targets are checked here, never "
        "by timing assertions in tests. The machine is shared "
        "and noisy, so each number comes with a baseline measured in the same run, and the "
        "ratio between them is the steadier figure.",
        "## Machine",
        _table(["Fact", "Value"], facts),
        "## Targets",
        _table(
            ["Check", "Measured", "Target", "Result"],
            [
                (c.name, c.measured, c.target, verdict(c.passed) if c.passed else f"**{verdict(c.passed)}**")
                for c in checks
            ],
        ),
    ]
    for section in sections:
        parts += [f"## {section.title}", section.method, _table(section.headers, section.rows)]
    return "\n\n".join(parts) + "\n"
