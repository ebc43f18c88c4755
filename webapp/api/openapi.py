"""The JSON API described as OpenAPI 3.0: what phones and desk screens send and get back. Served
at /api/openapi.json; the suite runs schemathesis against it on a live server (tests/test_api_schema.py),
so a new JSON endpoint or answer belongs here too."""

from webapp.vocabulary import SyncResult

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}


def _errors(*statuses):
    return {
        str(status): {
            "description": "Refused, with a message",
            "content": {"application/json": {"schema": ERROR}},
        }
        for status in statuses
    }


def _ok(schema, status="200", description="OK"):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


SESSION = [{"session": []}]
NULLABLE_STRING = {"type": "string", "nullable": True}
NULLABLE_INTEGER = {"type": "integer", "nullable": True}

SYNC_RECORD = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "revision": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        "kind": {"type": "string", "enum": ["pre_registration", "school_visit"]},
        "captured_at": {"type": "string", "format": "date-time"},
        # the username of who captured it; the session's user when absent
        "captured_by": {"type": "string", "maxLength": 64},
        "data": {"type": "object"},
    },
}
SYNC_RESULT = {
    "type": "object",
    "required": ["uuid", "status", "errors"],
    "properties": {
        "uuid": {"type": "string"},
        "revision": {},
        "status": {"type": "string", "enum": list(SyncResult.values())},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "server_revision": NULLABLE_INTEGER,
    },
}

# The answer to a batch of records, sent by a phone (sync) or by the import page.
SYNC_ANSWER = {
    "type": "object",
    "required": ["results"],
    "properties": {"results": {"type": "array", "items": SYNC_RESULT}},
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Student-loan acceptance centre: JSON API",
        "version": "1",
        "description": "Signed in with the session cookie of the web app. Errors are "
        '{"error": code, "message": text in the user\'s language}.',
    },
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            # the CSRF token of the page that sends the request (pages put it in a form field)
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        }
    },
    "paths": {
        "/api/ping": {
            "get": {
                "summary": "A real round trip: the outreach device is online only when this answers",
                "security": SESSION,
                "parameters": [
                    {
                        "name": "device",
                        "in": "query",
                        "description": "the random id of the device's outbox",
                        "schema": {"type": "string", "maxLength": 64},
                    }
                ],
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "required": ["ok", "user", "name", "csrf_token"],
                            "properties": {
                                "ok": {"type": "boolean"},
                                "user": {"type": "string"},
                                "name": {"type": "string"},
                                "csrf_token": {"type": "string"},
                            },
                        }
                    ),
                    **_errors(400, 401, 403),
                },
            }
        },
        "/api/sync": {
            "post": {
                "summary": "Send a batch of records captured offline; every record gets its own answer",
                "security": SESSION,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["records"],
                                "properties": {
                                    "device_id": {"type": "string", "maxLength": 64},
                                    # the device's clock when it sent the batch
                                    "device_time": {"type": "string", "format": "date-time"},
                                    "records": {"type": "array", "items": SYNC_RECORD, "maxItems": 500},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    **_ok(SYNC_ANSWER),
                    **_errors(400, 401, 403, 413, 415),
                },
            }
        },
        "/api/bookings": {
            "post": {
                "summary": "Book a half-day at the centre",
                "security": SESSION,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["service", "day", "half_day"],
                                "properties": {
                                    "service": {"type": "string", "enum": ["first_loan", "renewal"]},
                                    "day": {"type": "string", "format": "date"},
                                    "half_day": {"type": "string", "enum": ["morning", "afternoon"]},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "required": ["code", "day", "half_day", "service"],
                            "properties": {
                                "code": {"type": "string"},
                                "day": {"type": "string", "format": "date"},
                                "half_day": {"type": "string"},
                                "service": {"type": "string"},
                            },
                        },
                        status="201",
                        description="Booked",
                    ),
                    **_errors(400, 401, 403, 409, 415, 422),
                },
            }
        },
        "/outreach/import/batch": {
            "post": {
                "summary": "One batch of a device's exported file of unsent records (the import page)",
                "security": [{"session": [], "csrf": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["format", "records"],
                                "properties": {
                                    "format": {"type": "string", "enum": ["studentloan-outbox"]},
                                    "owner": {"type": "string"},
                                    "device_id": {"type": "string", "maxLength": 64},
                                    "records": {"type": "array", "items": SYNC_RECORD, "maxItems": 200},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    **_ok(SYNC_ANSWER),
                    **_errors(400, 401, 403, 413, 415),
                },
            }
        },
        "/me/ticket.json": {
            "get": {
                "summary": "The student's ticket today: people ahead and the number being called",
                "security": SESSION,
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "required": ["ticket", "status", "ahead"],
                            "properties": {
                                "ticket": {"type": "string"},
                                "status": {"type": "string"},
                                "ahead": {"type": "integer", "minimum": 0},
                                "calling": NULLABLE_STRING,
                                "window": NULLABLE_INTEGER,
                            },
                        }
                    ),
                    **_errors(401, 403, 404),
                },
            }
        },
        "/desk/screen/state.json": {
            "get": {
                "summary": "What the waiting-room screen shows: the latest calls and who is next",
                "security": SESSION,
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "required": ["calls", "next", "waiting"],
                            "properties": {
                                "calls": {"type": "array", "items": {"type": "object"}},
                                "next": {"type": "object"},
                                "waiting": {"type": "integer", "minimum": 0},
                                "duty_leader": NULLABLE_STRING,
                            },
                        }
                    ),
                    **_errors(401, 403),
                },
            }
        },
        "/outreach/reference.json": {
            "get": {
                "summary": "Schools, rosters and the season: what the offline form needs on the device",
                "security": SESSION,
                "responses": {**_ok({"type": "object"}), **_errors(401, 403)},
            }
        },
        "/outreach/regions.json": {
            "get": {
                "summary": "Region codes of ID numbers and their names",
                "security": SESSION,
                "responses": {**_ok({"type": "object"}), **_errors(401, 403)},
            }
        },
    },
}
