"""A peak day at the centre, for Locust (run by bench/load.py; only ever against 127.0.0.1):

- phones on the ticket page, asking for their place every 5 s (static/js/ticket.js);
- students booking a half-day, reading the confirmation and cancelling again (so that the
  places never run out), one round every 20 s;
- students signing in with the ID number and password, opening their record and signing out,
  one round a minute;
- desk windows calling the next ticket and finishing it, every 10 s;
- waiting-room screens asking for the calls every second (static/js/screen.js's fallback).

Who they are comes from the JSON file named by LOAD_PEOPLE (written by bench/load.py): session
cookies for the phones, bookers, windows and screens (signed in before the day began), ID
numbers and the password for those who sign in during the run."""

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, constant_pacing, events, task

with open(os.environ["LOAD_PEOPLE"], encoding="utf-8") as people_file:
    PEOPLE = json.load(people_file)
_next = {group: itertools.cycle(members) for group, members in PEOPLE.items() if isinstance(members, list)}

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
SLOT = re.compile(r'<input type="radio" name="slot" value="([^"]+)"(?! disabled)')
CANCEL = re.compile(r'action="(/me/booking/[^"/]+/cancel)"')
FINISH = re.compile(r'action="(/desk/tickets/\d+/finish)"')


@events.init.add_listener
def _loopback_only(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"bench/locustfile.py only talks to 127.0.0.1, not {environment.host!r}")


def hidden_fields(html):
    """The hidden inputs of the first form on the page (the CSRF token, the service...)."""
    fields = {}
    for tag in HIDDEN.findall(html):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name:
            fields.setdefault(name.group(1), value.group(1) if value else "")
    return fields


def spread(user):
    """Start somewhere in the user's first period, so that users started together do not keep
    asking in step."""
    gevent.sleep(random.uniform(0, user.period))


class SignedIn(FastHttpUser):
    """A device that was signed in before the run: its session cookie is already in the jar."""

    abstract = True
    group = ""
    period = 1

    def on_start(self):
        spread(self)
        host = urlparse(self.host).hostname
        self.client.cookiejar.set_cookie(
            Cookie(
                0,
                "session",
                next(_next[self.group]),
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )  # fmt: skip
        )


class Phone(SignedIn):
    weight = 85
    group = "phones"
    period = 5
    wait_time = constant_pacing(period)

    @task
    def ticket(self):
        self.client.get("/me/ticket.json", headers={"Accept": "application/json"})


class Booker(SignedIn):
    weight = 7
    group = "bookers"
    period = 20
    wait_time = constant_pacing(period)

    @task
    def book_and_cancel(self):
        page = self.client.get("/me/booking?service=first_loan", name="/me/booking").text or ""
        cancel = CANCEL.search(page)
        if cancel is None:  # no booking yet: pick a half-day with places left
            slots = SLOT.findall(page)
            if not slots:
                return
            page = (
                self.client.post(
                    "/me/booking?service=first_loan",
                    data={**hidden_fields(page), "slot": random.choice(slots)},
                    name="/me/booking [book]",
                ).text
                or ""
            )
            cancel = CANCEL.search(page)
            if cancel is None:
                return
        self.client.post(cancel.group(1), data=hidden_fields(page), name="/me/booking/[code]/cancel")


class Returning(FastHttpUser):
    """A student who signs in (Argon2 and all), opens the record and signs out."""

    weight = 8
    period = 60
    wait_time = constant_pacing(period)

    def on_start(self):
        spread(self)

    @task
    def sign_in_and_out(self):
        page = self.client.get("/login").text or ""
        record = self.client.post(
            "/login",
            data={
                **hidden_fields(page),
                "identifier": next(_next["returning"]),
                "password": PEOPLE["password"],
            },
            name="/login [sign in]",
        )
        if record.status_code == 200 and "/logout" in (record.text or ""):
            self.client.post("/logout", data=hidden_fields(record.text), name="/logout")


class Window(SignedIn):
    """A desk window: call the next ticket, finish it, and again."""

    fixed_count = PEOPLE["windows_count"]
    group = "windows"
    period = 10
    wait_time = constant_pacing(period)

    def on_start(self):
        super().on_start()
        self.number = next(_next["window_numbers"])
        page = self.client.get("/desk/window").text or ""
        self.client.post(
            "/desk/window",
            data={**hidden_fields(page), "window": str(self.number), "service": "first_loan"},
            name="/desk/window [sit]",
        )

    @task
    def call_next(self):
        page = self.client.get("/desk/window").text or ""
        fields = hidden_fields(page)
        finish = FINISH.search(page)
        if finish:  # the last call is still at the window
            self.client.post(finish.group(1), data=fields, name="/desk/tickets/[id]/finish")
        self.client.post("/desk/window/next", data=fields)


class Screen(SignedIn):
    fixed_count = PEOPLE["screens_count"]
    group = "screens"
    period = 1
    wait_time = constant_pacing(period)

    @task
    def state(self):
        self.client.get("/desk/screen/state.json")
