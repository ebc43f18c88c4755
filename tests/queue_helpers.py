"""Running the task queue inside a test, as its consumer would."""

import socket
from datetime import datetime


def work(huey, until=None):
    """What a consumer does at the time until (UTC; now when None): move the tasks due from the
    schedule to the queue and run them, until nothing is left to run."""
    done, moment = 0, until or datetime.utcnow()
    while True:
        for task in huey.read_schedule(moment):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return done
        huey.execute(task, timestamp=moment)
        done += 1


def _redis_answers():
    """Whether Redis answers on its usual port (CI requires it; a laptop may have none)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        return False
    return True


# The task queue's backends the suite runs on.
QUEUES = ["sqlite"] + (["redis"] if _redis_answers() else [])
