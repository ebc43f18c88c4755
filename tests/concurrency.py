"""Races on purpose: calls run in threads released together, each with its own connection."""

import threading

from webapp.db import database


def at_once(app, *calls):
    """Run the calls in threads released together; what each returned or raised."""
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(index, call):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = call()
            except Exception as exc:  # noqa: BLE001 (the race's outcome is what is checked)
                results[index] = exc
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
