"""Records shaped like the ones the offline page sends."""

import uuid

from tests.factories import valid_id_number


def prereg(school, revision=1, record_uuid=None, **data):
    values = {
        "school_id": school.id,
        "name": "张三",
        "id_number": valid_id_number(),
        "class_name": "高三(1)班",
        "category": 0,
    }
    values.update(data)
    return {
        "uuid": str(record_uuid or uuid.uuid4()),
        "revision": revision,
        "kind": "pre_registration",
        "captured_at": "2026-06-10T02:30:00Z",
        "data": values,
    }


def visit(school, revision=1, **data):
    values = {"school_id": school.id, "visited_on": "2026-06-10", "leaflets": 120, "students_reached": 45}
    values.update(data)
    return {"uuid": str(uuid.uuid4()), "revision": revision, "kind": "school_visit", "data": values}
