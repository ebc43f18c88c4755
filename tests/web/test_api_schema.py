"""The JSON API against its OpenAPI document (/api/openapi.json): schemathesis generates requests
for every operation, sent over real HTTP to a live server as a role that reaches the operation.
No answer may be a 5xx, and every answer must match the document (status, content type, body)."""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_school,
    make_season,
    make_student,
    make_user,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Who calls each operation (the roles its page is for).
CALLER = {
    "/api/ping": "outreach",
    "/api/sync": "outreach",
    "/outreach/reference.json": "outreach",
    "/outreach/regions.json": "outreach",
    "/api/bookings": "student",
    "/me/ticket.json": "student",
    "/desk/screen/state.json": "desk",
    "/outreach/import/batch": "admin",
}


@pytest.fixture
def callers(app, live_server):
    centre = make_centre()
    season = make_season(centre, year=2026)
    make_school(centre, name="右玉一中")
    student = make_student(centre, name="钱同学")
    make_application(student, season, status="submitted")
    make_user(centre, role="outreach", username="teacher")
    make_user(centre, role="desk", username="window")
    make_user(centre, role="admin", username="boss")
    sessions = {}
    callers = (("outreach", "teacher"), ("desk", "window"), ("admin", "boss"), ("student", student.id_number))
    for role, identifier in callers:
        session = requests.Session()
        page = session.get(live_server.url + "/login", timeout=10).text
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        answer = session.post(
            live_server.url + "/login",
            data={"identifier": identifier, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302
        session.headers["X-CSRFToken"] = token  # the page's token, as its scripts send it
        sessions[role] = session
    return sessions


def test_every_operation_answers_as_its_document_says(live_server, callers):
    document = requests.get(live_server.url + "/api/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == set(CALLER)
    answered = {}
    for operation in operations:
        for mode in schemathesis.GenerationMode:  # valid requests, then requests that break the document
            statuses = _check_operation(operation, mode, live_server.url, callers[CALLER[operation.path]])
            answered.setdefault(operation.path, set()).update(statuses)
    # valid requests got through to the work, not all stopped at the door (a random day is no
    # bookable half-day, and no ticket is issued today: those two answer 4xx by design)
    assert all(any(status < 400 for status in statuses) for path, statuses in answered.items()
               if path not in ("/api/bookings", "/me/ticket.json")), answered  # fmt: skip


def _check_operation(operation, mode, base_url, session):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(base_url=base_url, session=session)
        case.validate_response(response, checks=CHECKS)
        statuses.add(response.status_code)

    statuses = set()

    check()
    return statuses
