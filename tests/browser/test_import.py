"""An admin imports a large exported outbox file: the page sends it in batches and shows the
progress, and every record arrives once."""

import json

import pytest

from tests.browser.conftest import wait_until
from tests.browser.test_sign_in import sign_in
from tests.factories import make_centre, make_school, make_user
from tests.outreach_helpers import prereg
from webapp.models import PreRegistration

pytestmark = pytest.mark.browser


def test_a_large_file_is_imported_in_batches_with_progress(live_server, phone, tmp_path):
    centre = make_centre()
    school = make_school(centre)
    make_user(centre, role="admin", username="boss")
    make_user(centre, role="outreach", username="sun")
    records = [prereg(school) for _ in range(450)]
    export = tmp_path / "unsent.json"
    export.write_text(
        json.dumps({"format": "studentloan-outbox", "version": 1, "owner": "sun", "records": records})
    )
    batches = []
    phone.on("request", lambda request: request.url.endswith("/import/batch") and batches.append(request))
    sign_in(phone, live_server.url, "boss")
    phone.goto(live_server.url + "/outreach/import")
    phone.set_input_files("input[type=file]", str(export))
    phone.get_by_role("button", name="导入").click()
    wait_until(
        phone, "document.querySelector('#import-progress p').textContent.includes('450 条记录已全部导入')"
    )
    assert phone.evaluate("document.querySelector('#import-progress progress').value") == 450
    assert len(batches) == 3
    assert phone.locator("#import-results tbody tr").count() == 450
    assert PreRegistration.select().count() == 450
