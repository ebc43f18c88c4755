"""The text-message gateway: the log backend, `flask messages list`, the staff's message log, and
the two providers' official SDKs at the HTTP boundary, against a local server that answers as
each provider does."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from webapp.models import Message
from webapp.services import messages
from webapp.vocabulary import MessageTemplate

ALIYUN_OK = {"RequestId": "F655A8D5", "Message": "OK", "BizId": "900619746936498440^0", "Code": "OK"}
ALIYUN_LIMIT = {
    "RequestId": "F655A8D6",
    "Message": "触发分钟级流控Permits:1",
    "Code": "isv.BUSINESS_LIMIT_CONTROL",
}
TENCENT_OK = {
    "Response": {
        "SendStatusSet": [
            {"SerialNo": "2028:f825e6b16e23f73f4123", "PhoneNumber": "+8613800000004", "Fee": 1,
             "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"}
        ],
        "RequestId": "7b2bb2d5-9c1f-4f8a-a2b1-8c2d3e4f5a6b",
    }
}  # fmt: skip
TENCENT_LIMIT = {
    "Response": {
        "SendStatusSet": [
            {"SerialNo": "", "PhoneNumber": "+8613800000004", "Fee": 0, "SessionContext": "",
             "Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "daily limit", "IsoCode": "CN"}
        ],
        "RequestId": "7b2bb2d5-9c1f-4f8a-a2b1-8c2d3e4f5a6c",
    }
}  # fmt: skip


@pytest.fixture
def provider():
    """A local server that answers every request with the JSON set on it, and keeps what came."""
    received, answer = [], {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append(
                {"path": self.path, "body": self.rfile.read(length).decode(), "headers": dict(self.headers)}
            )
            data = json.dumps(answer["json"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"endpoint": f"127.0.0.1:{server.server_address[1]}", "received": received, "answer": answer}
    server.shutdown()


def _configure(app, backend, endpoint):
    app.config.update(
        SMS_BACKEND=backend,
        SMS_PROTOCOL="http",
        SMS_SIGN_NAME="右玉县资助中心",
        SMS_TEMPLATES={"verification_code": "SMS_123456789", "already_registered": "SMS_987654321"},
        ALIYUN_ACCESS_KEY_ID="test-key",
        ALIYUN_ACCESS_KEY_SECRET="test-secret",
        ALIYUN_SMS_ENDPOINT=endpoint,
        TENCENT_SECRET_ID="test-id",
        TENCENT_SECRET_KEY="test-key",
        TENCENT_SMS_APP_ID="1400000000",
        TENCENT_SMS_ENDPOINT=endpoint,
    )


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
    _configure(app, "aliyun", provider["endpoint"])
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
    if state == "sent":
        assert stored.provider_id == "900619746936498440^0"
    else:
        assert "isv.BUSINESS_LIMIT_CONTROL" in stored.error


@pytest.mark.parametrize("answer, state", [(TENCENT_OK, "sent"), (TENCENT_LIMIT, "failed")])
def test_tencent_through_its_sdk(app, provider, answer, state):
    _configure(app, "tencent", provider["endpoint"])
    provider["answer"]["json"] = answer
    with app.test_request_context():
        message = messages.send("13800000004", MessageTemplate.VERIFICATION_CODE, {"code": "482913"})
    request = provider["received"][-1]
    body = json.loads(request["body"])
    assert body["PhoneNumberSet"] == ["+8613800000004"] and body["TemplateId"] == "SMS_123456789"
    assert body["TemplateParamSet"] == ["482913"] and body["SmsSdkAppId"] == "1400000000"
    assert request["headers"]["X-TC-Action"] == "SendSms"
    stored = Message.get_by_id(message.id)
    assert stored.state == state
    if state == "sent":
        assert stored.provider_id == "2028:f825e6b16e23f73f4123"
    else:
        assert "LimitExceeded.PhoneNumberDailyLimit" in stored.error
