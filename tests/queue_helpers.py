"""Running the task queue inside a test, as its consumer would."""

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
