"""The benchmarks, in two sets, each checked against its targets in docs/benchmarks.md rather
than in the tests; exit 1 when a target is missed.

- `python -m bench.run` (`make bench`): the everyday set, about ten minutes.
- `python -m bench.run --province` (`make bench-province`): the long ones, a province loaded
  into PostgreSQL and the Locust levels through nginx.
- `python -m bench.run province ingest`: only the benchmarks named.

docs/benchmarks.md is written after every benchmark that finishes, merged into what is there:
that benchmark's section and its rows of the targets table are replaced, every other
benchmark's are kept, so a run cut short keeps what it measured. Each section says when and on
what machine it was measured; the machine table is the latest run's."""

import json
import re
import sys

from webapp.config import PROJECT_ROOT

from . import (
    documents,
    ingest,
    load,
    messages,
    national_import,
    offline,
    province,
    report,
    screen_latency,
    screen_loads,
    season_reports,
    shell,
    student_pages,
)

OUTPUT = PROJECT_ROOT / "docs" / "benchmarks.md"
EVERYDAY = (
    shell,
    offline,
    ingest,
    documents,
    student_pages,
    screen_latency,
    national_import,
    messages,
)
# A season of 100,000 applications on both databases takes most of ten minutes by itself; the
# screen's other loads are six more minutes of presses.
LONG = (season_reports, screen_loads, province, load)
BENCHMARKS = EVERYDAY + LONG
TARGETS = "Targets"
# Written under each section (invisible once rendered): which benchmark wrote it and its checks,
# so that a later partial run knows what to replace.
MARKER = re.compile(r"^<!-- bench (\{.*\}) -->$", re.MULTILINE)


def _name(benchmark):
    return benchmark.__name__.rsplit(".", 1)[-1]


def _marked(benchmark, section):
    marker = {"benchmark": _name(benchmark), "checks": [check.name for check in section.checks]}
    section.method = f"{section.method}\n\n<!-- bench {json.dumps(marker, ensure_ascii=False)} -->"
    return section


def _chunks(text):
    """The text before the first "## " heading, then [title, body] of each section."""
    head, *rest = re.split(r"^## ", text, flags=re.MULTILINE)
    return head, [list(part.split("\n", 1)) + [""] * (1 - part.count("\n")) for part in rest]


def _target_rows(body):
    """The table rows of the targets section (header and rule excluded), by check name."""
    lines = [line for line in body.splitlines() if line.startswith("| ")]
    return [(line[2:].split(" | ", 1)[0], line) for line in lines[1:]]


def _merge(old_text, new_text, machine=False):
    """old_text with the sections and target rows of new_text in place of their earlier ones
    (and its machine table too, with machine), under new_text's heading."""
    _old_head, old = _chunks(old_text)
    head, new = _chunks(new_text)
    if machine:
        new_machine = next(body for title, body in new if title.strip() == "Machine")
        old = [[title, new_machine if title.strip() == "Machine" else body] for title, body in old]
    new_targets = next(body for title, body in new if title == TARGETS)
    new_rows = _target_rows(new_targets)
    replaced_checks = {name for name, _line in new_rows}
    titles = {title for title, _body in new if title not in (TARGETS, "Machine")}
    benchmarks = set()
    for _title, body in new:
        for found in MARKER.findall(body):
            benchmarks.add(json.loads(found)["benchmark"])
    kept = []
    for title, body in old:
        markers = [json.loads(found) for found in MARKER.findall(body)]
        if title in titles or any(marker["benchmark"] in benchmarks for marker in markers):
            for marker in markers:
                replaced_checks.update(marker["checks"])
            kept.append([title, None])  # its place, for the new section
        else:
            kept.append([title, body])
    targets = next((entry for entry in kept if entry[0] == TARGETS), None)
    if targets is None:
        return new_text
    old_rows = _target_rows(targets[1])
    positions = [i for i, (name, _line) in enumerate(old_rows) if name in replaced_checks]
    rows = [line for name, line in old_rows if name not in replaced_checks]
    at = positions[0] if positions else len(rows)
    rows[at:at] = [line for _name, line in new_rows]
    table_head = [line for line in targets[1].splitlines() if line.startswith("|")][:2]
    targets[1] = "\n" + "\n".join(table_head + rows) + "\n\n"
    sections = {title: body for title, body in new}
    out, placed = [], set()
    for title, body in kept:
        if body is None:
            if title in sections and title not in placed:
                out.append([title, sections[title]])
                placed.add(title)
            continue
        out.append([title, body])
    for title, body in new:
        if title not in (TARGETS, "Machine") and title not in placed:
            out.append([title, body])
    text = head + "".join(f"## {title}\n{body.rstrip()}\n\n" for title, body in out)
    return text.rstrip("\n") + "\n"


def _chosen(args):
    """The benchmarks args name: none, the everyday set; --province, the long set."""
    if not args:
        return EVERYDAY
    if args == ["--province"]:
        return LONG
    known = {_name(b): b for b in BENCHMARKS}
    unknown = [name for name in args if name not in known]
    if unknown:
        raise SystemExit(
            f"unknown benchmark {', '.join(unknown)}; choose among --province, {', '.join(known)}"
        )
    return [known[name] for name in args]


def _measured_on(facts, benchmark):
    return (
        f"\n\nMeasured by `python -m bench.run {_name(benchmark)}` (or its set) on {facts['Date (UTC)']}: "
        f"{facts['CPU']}, {facts['Cores']} cores, load average {facts['Load average at start (1, 5, 15 min)']}, "
        f"Python {facts['Python']}, SQLite {facts['SQLite']}, PostgreSQL {facts['PostgreSQL']}."
    )


def main(args=()):
    chosen = _chosen(list(args))
    sections = []
    for benchmark in chosen:
        print(f"bench: {benchmark.__name__} ...", flush=True)
        facts = report.machine()
        section = benchmark.run()
        section.method += _measured_on(dict(facts), benchmark)
        sections.append(_marked(benchmark, section))
        # written now, so that a run stopped later keeps this benchmark's numbers
        text = report.markdown(facts, [sections[-1]])
        if OUTPUT.exists():
            text = _merge(OUTPUT.read_text(encoding="utf-8"), text, machine=True)
        OUTPUT.write_text(text, encoding="utf-8")
    checks = [check for section in sections for check in section.checks]
    for check in checks:
        print(f"  {report.verdict(check.passed):4} {check.name}: {check.measured} (target {check.target})")
    print(f"Written to {OUTPUT.relative_to(PROJECT_ROOT)}")
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
