"""`make bench`: run every benchmark, rewrite docs/benchmarks.md, and exit 1 when a target is
missed, so that the speed targets are checked here rather than in the tests."""

import sys

from webapp.config import PROJECT_ROOT

from . import (
    documents,
    ingest,
    messages,
    national_import,
    offline,
    report,
    screen_latency,
    season_reports,
    shell,
    student_pages,
)

OUTPUT = PROJECT_ROOT / "docs" / "benchmarks.md"


def main():
    facts = report.machine()
    sections = []
    for benchmark in (
        shell,
        offline,
        ingest,
        documents,
        student_pages,
        screen_latency,
        season_reports,
        national_import,
        messages,
    ):
        print(f"bench: {benchmark.__name__} ...", flush=True)
        sections.append(benchmark.run())
    OUTPUT.write_text(report.markdown(facts, sections), encoding="utf-8")
    checks = [check for section in sections for check in section.checks]
    for check in checks:
        print(f"  {report.verdict(check.passed):4} {check.name}: {check.measured} (target {check.target})")
    print(f"Written to {OUTPUT.relative_to(PROJECT_ROOT)}")
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
