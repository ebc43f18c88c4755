"""The text-message gateway: the log backend, `flask messages list`, the staff's message log, and
the two providers' official SDKs at the HTTP boundary, against a local server that answers as
each provider does."""

import json
from urllib.parse import parse_qs, urlparse

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from tests.sms_helpers import ALIYUN_LIMIT, ALIYUN_OK, TENCENT_LIMIT, TENCENT_OK, point_providers_at
from webapp.models import Message
from webapp.services.messaging import messages
from webapp.vocabulary import MessageTemplate


def test_the_log_backend_keeps_the_message_and_the_log_shows_it(app, client, auth, runner):
    centre = make_centre()
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        sent = messages.send("13800000004", MessageTemplate.VERIFICATION_CODE, {"code": "482913"}, centre)
        assert sent.state == "logged" and messages.text_of(sent).startswith(
            "Your verification code is 482913"
        )
        messages.send("13900000005", MessageTemplate.ALREADY_REGISTERED, {}, centre)
    listed = runner.invoke(args=["messages", "list", "--json"])
    lines = [json.loads(line) for line in listed.output.splitlines()]
    assert [line["to"] for line in lines] == ["13900000005", "13800000004"]  # newest first
    only = runner.invoke(args=["messages", "list", "--to", "13800000004"])
    assert "482913" in only.output and "13900000005" not in only.output
    auth.login(make_user(centre, role="admin").username, PASSWORD)
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "138****0004" in page and "482913" in page and "13800000004" not in page


@pytest.mark.parametrize("answer, state", [(ALIYUN_OK, "sent"), (ALIYUN_LIMIT, "failed")])
def test_aliyun_through_its_sdk(app, provider, answer, state):
    point_providers_at(app, "aliyun", provider["endpoint"])
    provider["answer"]["json"] = answer
    with app.test_request_context():
        message = messages.send("13800000004", MessageTemplate.VERIFICATION_CODE, {"code": "482913"})
    request = provider["received"][-1]
    sent = {**parse_qs(urlparse(request["path"]).query), **parse_qs(request["body"])}
    assert sent["PhoneNumbers"] == ["13800000004"] and sent["TemplateCode"] == ["SMS_123456789"]
    assert json.loads(sent["TemplateParam"][0]) == {"code": "482913"}
    assert {k.lower(): v for k, v in request["headers"].items()}["x-acs-action"] == "SendSms"
    stored = Message.get_by_id(message.id)
    assert stored.state == state and stored.provider == "aliyun"
    assert "482913" not in stored.params and json.loads(stored.params) == {"code": "******"}
    if state == "sent":
        assert stored.provider_id == "900619746936498440^0"
    else:
        assert "isv.BUSINESS_LIMIT_CONTROL" in stored.error


@pytest.mark.parametrize("answer, state", [(TENCENT_OK, "sent"), (TENCENT_LIMIT, "failed")])
def test_tencent_through_its_sdk(app, provider, answer, state):
    point_providers_at(app, "tencent", provider["endpoint"])
    provider["answer"]["json"] = answer
    with app.test_request_context():
        message = messages.send("13800000004", MessageTemplate.VERIFICATION_CODE, {"code": "482913"})
    request = provider["received"][-1]
    body = json.loads(request["body"])
    assert body["PhoneNumberSet"] == ["+8613800000004"] and body["TemplateId"] == "SMS_123456789"
    assert body["TemplateParamSet"] == ["482913"] and body["SmsSdkAppId"] == "1400000000"
    assert request["headers"]["X-TC-Action"] == "SendSms"
    stored = Message.get_by_id(message.id)
    assert stored.state == state and "482913" not in stored.params
    if state == "sent":
        assert stored.provider_id == "2028:f825e6b16e23f73f4123"
    else:
        assert "LimitExceeded.PhoneNumberDailyLimit" in stored.error


def test_with_a_provider_no_one_time_code_is_kept_or_shown_to_staff(app, client, auth, provider):
    """A student's sign-up code reaches the provider; the message log, the table and so the backups
    keep only its mask, and the page says why."""
    point_providers_at(app, "aliyun", provider["endpoint"])
    provider["answer"]["json"] = ALIYUN_OK
    centre = make_centre()
    with app.test_request_context():
        messages.send("13800000004", MessageTemplate.VERIFICATION_CODE, {"code": "482913"}, centre)
    assert "482913" in provider["received"][-1]["path"] + provider["received"][-1]["body"]
    assert not Message.select().where(Message.params.contains("482913")).exists()
    auth.login(make_user(centre, role="admin").username, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "482913" not in page and "******" in page
    assert "One-time codes go to the phone only" in page
