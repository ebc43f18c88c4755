"""The waiting-room screen under the other loads: no other load, and wrk's connections polling
without pause. Rows to read beside make bench's (the phones load, where the targets are), in the
long set: each load is a minute of presses on three servers."""

from .screen_latency import measure_loads


def run():
    return measure_loads(("idle", "wrk"), "Waiting-room screen, other loads")
