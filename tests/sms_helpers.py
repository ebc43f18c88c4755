"""A local server that answers as an SMS provider does, and the settings that point the
providers' SDKs at it: the HTTP boundary the message tests send through."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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


def point_providers_at(app, backend, endpoint):
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
