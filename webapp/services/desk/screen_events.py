"""The waiting-room screen's calls, pushed as Server-Sent Events so that a call reaches the
screen within a fraction of a second instead of at the next one-second poll.

A stream sends the screen's state at once, then again whenever the centre's line changes, and
ends after SCREEN_STREAM_SECONDS (the browser reconnects by itself, so a stream never ties up a
server thread for long or outlives a restart by much). How it learns of a change:

- with Redis (REDIS_URL), the calling services publish on the centre's channel and every app
  process's streams wake at once; they still look every couple of seconds, for changes nobody
  announced (a check-in changes who is next);
- without it, each stream looks at a cheap summary of today's tickets four times a second.
"""

import json
import time
from collections.abc import Callable, Iterator
from datetime import date

import redis
from flask import current_app
from peewee import fn

from webapp.models import Centre, Ticket

DATABASE_LOOK_SECONDS = 0.25
REDIS_LOOK_SECONDS = 2.0
RECONNECT_MS = 250

_clients: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis | None:
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url)
    return _clients[url]


def _channel(centre_id: int) -> str:
    return f"{current_app.config['TASK_QUEUE_NAME']}:screen:{centre_id}"


def announce(centre_id: int) -> None:
    """Wake the centre's screens: a call was made, repeated or taken back (after its commit)."""
    client = _redis()
    if client is not None:
        try:
            client.publish(_channel(centre_id), "changed")
        except redis.RedisError as exc:  # the screens find the change at their next look
            current_app.logger.warning("screen events: %s", exc)


def line_summary(centre: Centre, day: date) -> tuple:
    """Changes whenever the screen's content may: a call, a recall, a check-in, a requeue."""
    return (
        Ticket.select(
            fn.COUNT(Ticket.id),
            fn.COUNT(Ticket.called_at),
            fn.MAX(Ticket.called_at),
            fn.MAX(Ticket.queued_at),
        )
        .where((Ticket.centre == centre) & (Ticket.day == day))
        .tuples()
        .get()
    )


class _Waiter:
    """Sleeps until the next look: a Redis message, or a short pause."""

    def __init__(self, centre_id: int):
        client = _redis()
        self.pubsub = None
        if client is not None:
            try:
                self.pubsub = client.pubsub(ignore_subscribe_messages=True)
                self.pubsub.subscribe(_channel(centre_id))
            except redis.RedisError:
                self.pubsub = None

    def wait(self) -> None:
        if self.pubsub is None:
            time.sleep(DATABASE_LOOK_SECONDS)
            return
        until = time.monotonic() + REDIS_LOOK_SECONDS
        try:
            # get_message also returns (None) early for the subscription's own confirmation
            while (left := until - time.monotonic()) > 0:
                if self.pubsub.get_message(timeout=left) is not None:
                    while self.pubsub.get_message(timeout=0) is not None:
                        pass  # several calls at once: one look covers them all
                    return
        except redis.RedisError:
            self.pubsub = None

    def close(self) -> None:
        if self.pubsub is not None:
            self.pubsub.close()


def stream(centre: Centre, day: date, screen_state: Callable[[Centre, date], dict]) -> Iterator[str]:
    """The text/event-stream body: `state` events carrying screen_state (calling.screen_state,
    what /desk/screen/state.json answers)."""
    yield f"retry: {RECONNECT_MS}\n\n"
    deadline = time.monotonic() + current_app.config["SCREEN_STREAM_SECONDS"]
    waiter = _Waiter(centre.id)
    seen = None
    try:
        while time.monotonic() < deadline:
            summary = line_summary(centre, day)
            if summary != seen:
                seen = summary
                state = json.dumps(screen_state(centre, day), ensure_ascii=False)
                yield f"event: state\ndata: {state}\n\n"
            waiter.wait()
    finally:
        waiter.close()
