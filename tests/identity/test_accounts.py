"""Student sign-up and sign-in by ID number or mobile; staff sign-in; throttling; CSRF."""

import json
import uuid
from datetime import date, timedelta

import pytest

from tests.factories import PASSWORD, make_centre, make_student, make_user, valid_id_number
from tests.http_helpers import code_sent_to, csrf_token, sign_up
from webapp.models import AuditEvent, Message, OneTimeCode, PreRegistration, Student, User, utcnow
from webapp.services.identity.accounts import student_username


@pytest.fixture
def centre(app):
    return make_centre()


def signup(client, **fields):
    data = {
        "id_number": valid_id_number(),
        "name": "李四",
        "mobile": "13912345678",
        "password": "long-enough",
        "confirm": "long-enough",
    }
    data.update(fields)
    return sign_up(client, **data)


def test_signup_creates_student_with_derived_details_and_signs_in(client, centre):
    number = valid_id_number(birth=date(2007, 6, 1), female=True)
    response = signup(client, id_number=number.lower())
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")
    student = Student.get(Student.id_number_index == number)
    assert (student.birth_date, student.sex, student.centre_id) == (date(2007, 6, 1), "F", centre.id)
    user = User.get(User.student == student)
    assert user.password_hash.startswith("$argon2id$")
    assert "long-enough" not in user.password_hash
    page = client.get("/me/").get_data(as_text=True)
    assert "李四" in page and "2007年6月1日" in page and "女" in page
    assert AuditEvent.select().where(AuditEvent.action == "account.signup").count() == 1


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"id_number": "140623200803141313"}, "id_number", "校验位不符"),
        ({"id_number": valid_id_number(birth=date(2030, 1, 1))}, "id_number", "晚于今天"),
        ({"id_number": "14062320080314"}, "id_number", "应为 18 位"),
        ({"mobile": "1234567"}, "mobile", "11 位大陆手机号码"),
        ({"name": "   "}, "name", "按身份证上的姓名"),
        ({"password": "short", "confirm": "short"}, "password", "至少使用 8 个字符"),
        ({"confirm": "different!"}, "confirm", "两次输入的密码不一致"),
    ],
)
def test_bad_signup_input_gets_a_message_next_to_the_field(client, centre, fields, field_id, message):
    response = signup(client, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in html
    assert message in html
    assert f'aria-describedby="{field_id}-error"' in html or f'{field_id}-error"' in html
    assert Student.select().count() == 0


def test_duplicate_id_number_is_a_conflict_and_keeps_the_first_account(client, centre):
    number = valid_id_number()
    assert signup(client, id_number=number, mobile="13900000001").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    response = signup(client, id_number=number, mobile="13900000002")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "短信" in page and "已注册" not in page  # the page does not say whether the number has an account
    told = Message.select().order_by(Message.id.desc()).first()
    assert (told.to_mobile, told.template) == ("13900000002", "id_number_has_account")
    assert User.select().where(User.username == student_username(number)).count() == 1
    assert User.get(User.username == student_username(number)).mobile == "13900000001"


def test_a_used_mobile_gets_no_code_and_its_owner_is_told(client, centre):
    """No enumeration: the page answers the same; the owner of the number reads the notice."""
    assert signup(client, mobile="13900000001").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    OneTimeCode.update(created_at=utcnow() - timedelta(minutes=2)).execute()  # a while later
    token = csrf_token(client, "/signup")
    asked = client.post("/signup", data={"mobile": "13900000001", "send_code": "1", "csrf_token": token})
    assert asked.status_code == 200 and "验证码已通过短信发送" in asked.get_data(as_text=True)
    notice = Message.select().order_by(Message.id.desc()).first()
    assert (notice.to_mobile, notice.template) == ("13900000001", "already_registered")
    OneTimeCode.update(created_at=utcnow() - timedelta(minutes=2)).execute()
    response = signup(client, mobile="13900000001")
    assert response.status_code == 422 and User.select().where(User.mobile == "13900000001").count() == 1


def test_the_code_proves_the_number(client, centre):
    token = csrf_token(client, "/signup")
    fields = {"id_number": valid_id_number(), "name": "李四", "mobile": "13912345678",
              "password": "long-enough", "confirm": "long-enough", "csrf_token": token}  # fmt: skip
    client.post("/signup", data={**fields, "send_code": "1"})
    again = client.post("/signup", data={**fields, "send_code": "1"})
    assert again.status_code == 429  # one code a minute per number
    wrong = client.post(
        "/signup", data={**fields, "code": "000000" if code_sent_to("13912345678") != "000000" else "111111"}
    )
    assert wrong.status_code == 422 and Student.select().count() == 0
    assert client.post("/signup", data={**fields, "code": code_sent_to("13912345678")}).status_code == 302


def test_messages_follow_the_chosen_language(client, centre):
    client.set_cookie("lang", "en")
    response = signup(client, id_number="140623200803141313")
    assert response.status_code == 422
    assert "The last character does not match" in response.get_data(as_text=True)


def test_pre_registered_student_proves_the_captured_mobile_and_is_linked(client, centre):
    existing = make_student(centre, name="王五", mobile="13955556666", with_account=False)
    assert signup(client, id_number=existing.id_number, name="王五", mobile="13955556666").status_code == 302
    assert User.get(User.username == student_username(existing.id_number)).student_id == existing.id
    assert Student.select().count() == 1
    assert client.get("/me/").status_code == 200


@pytest.mark.parametrize("captured", ["13955556666", ""])
def test_the_right_name_and_a_proven_mobile_get_the_record_whatever_was_captured(client, centre, captured):
    """Outreach typed another number, or none: the number proven by its code becomes the record's."""
    existing = make_student(centre, name="王五", with_account=False)
    existing.mobile = captured
    existing.save()
    prereg = PreRegistration.create(centre=centre, uuid=str(uuid.uuid4()), student=existing, name="王五",
                                    id_number=existing.id_number, mobile=captured, status="accepted")  # fmt: skip
    assert signup(client, id_number=existing.id_number, name="王五", mobile="13955557777").status_code == 302
    assert client.get("/me/").status_code == 200
    assert User.get(User.mobile == "13955557777").student_id == existing.id
    assert Student.get_by_id(existing.id).mobile == "13955557777"
    assert PreRegistration.get_by_id(prereg.id).mobile == "13955557777"
    change = AuditEvent.get(AuditEvent.action == "student.mobile_proven")
    assert json.loads(change.details) == {"old": "139****6666" if captured else "", "new": "139****7777"}


@pytest.mark.parametrize(
    "mobile, name, says",
    [("13955556666", "王小五", "not the name the centre recorded"), ("13955557777", "冒名", "not the name")],
)
def test_a_claim_with_another_name_waits_for_the_desk(app, client, centre, mobile, name, says):
    existing = make_student(centre, name="王五", mobile="13955556666", with_account=False)
    existing.mobile = "" if name == "王小五" else existing.mobile  # nothing was captured at school
    existing.save()
    assert signup(client, id_number=existing.id_number, name=name, mobile=mobile).status_code == 302
    claim = User.get(User.mobile == mobile)
    assert claim.student_id is None and claim.claimed_student_id == existing.id
    client.set_cookie("lang", "en")
    waiting = client.get("/me/")
    assert waiting.status_code == 403 and "household register" in waiting.get_data(as_text=True)
    assert says in waiting.get_data(as_text=True)
    client.set_cookie("lang", "zh_Hans")
    assert existing.name not in waiting.get_data(as_text=True) or name == existing.name
    assert client.post("/api/bookings", json={"day": "2026-08-01"}).status_code == 403

    desk_client = app.test_client()
    make_user(centre, role="desk", username="window9")
    desk_client.post(
        "/login",
        data={"identifier": "window9", "password": PASSWORD, "csrf_token": csrf_token(desk_client, "/login")},
    )
    assert claim.mobile in desk_client.get("/desk/identity-checks").get_data(as_text=True)
    token = csrf_token(desk_client, "/desk/identity-checks")
    answer = "refuse" if name == "冒名" else "confirm"
    assert (
        desk_client.post(f"/desk/identity-checks/{claim.id}/{answer}", data={"csrf_token": token}).status_code
        == 302
    )
    if answer == "confirm":
        assert client.get("/me/").status_code == 200
        assert User.get_by_id(claim.id).username == student_username(existing.id_number)
        assert AuditEvent.select().where(AuditEvent.action == "account.claim_confirmed").exists()
    else:
        assert client.get("/me/").status_code == 302 and not User.get_by_id(claim.id).active
    assert "没有等待核验的账号" in desk_client.get("/desk/identity-checks").get_data(as_text=True)


def test_another_centres_desk_cannot_answer_a_claim(app, client, centre):
    existing = make_student(centre, name="王五", mobile="13955556666", with_account=False)
    signup(client, id_number=existing.id_number, name="王小五", mobile="13955557777")
    claim = User.get(User.mobile == "13955557777")
    other = make_centre(name="别县学生资助管理中心", region_code="140624")
    make_user(other, role="desk", username="elsewhere")
    desk_client = app.test_client()
    desk_client.post(
        "/login",
        data={
            "identifier": "elsewhere",
            "password": PASSWORD,
            "csrf_token": csrf_token(desk_client, "/login"),
        },
    )
    token = csrf_token(desk_client, "/desk/identity-checks")
    assert (
        desk_client.post(f"/desk/identity-checks/{claim.id}/confirm", data={"csrf_token": token}).status_code
        == 404
    )
    assert User.get_by_id(claim.id).student_id is None


def test_sign_in_by_id_number_mobile_and_username(client, auth, centre):
    student = make_student(centre, mobile="13711112222")
    make_user(centre, role="desk", username="wang.desk")
    for identifier, home in [
        (student.id_number.lower(), "/me/"),
        ("137 1111 2222", "/me/"),
        ("１３７１１１１２２２２", "/me/"),
        ("WANG.DESK", "/desk/"),
    ]:
        response = auth.login(identifier, PASSWORD)
        assert response.status_code == 302 and response.headers["Location"].endswith(home)
        auth.logout()


def test_wrong_password_is_401_and_a_deactivated_account_cannot_sign_in(client, auth, centre):
    user = make_user(centre, role="desk", username="desk1")
    assert auth.login("desk1", "wrong-password").status_code == 401
    user.active = False
    user.save()
    assert auth.login("desk1", PASSWORD).status_code == 401


def test_sign_in_is_throttled_after_repeated_failures(app, client, auth, centre):
    make_user(centre, role="desk", username="desk1")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert auth.login("desk1", "wrong-password").status_code == 401
    response = auth.login("desk1", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)
    assert auth.login("someone-else", "whatever1").status_code == 401


def test_forms_without_csrf_token_are_refused(client, centre):
    make_user(centre, role="desk", username="desk1")
    response = client.post("/login", data={"identifier": "desk1", "password": PASSWORD})
    assert response.status_code == 400
    assert "表单已失效" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client, auth, centre):
    make_user(centre, role="desk", username="desk1")
    response = auth.login("desk1", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_staff_user_cli(runner, centre):
    result = runner.invoke(
        args=[
            "create-user",
            "--username",
            "li.admin",
            "--name",
            "李管理",
            "--role",
            "admin",
            "--password",
            "long-enough",
        ]
    )
    assert result.exit_code == 0, result.output
    user = User.get(User.username == "li.admin")
    assert (user.role, user.centre_id) == ("admin", centre.id)
    again = runner.invoke(
        args=[
            "create-user",
            "--username",
            "li.admin",
            "--name",
            "x",
            "--role",
            "desk",
            "--password",
            "long-enough",
        ]
    )
    assert again.exit_code != 0 and "该用户名已被使用" in again.output


@pytest.mark.parametrize(
    "payload",
    [
        {"id_number": "x" * 5000, "name": "名" * 500, "mobile": "1" * 300},
        {
            "id_number": "'; DROP TABLE student; --",
            "name": "<script>alert(1)</script>",
            "mobile": "１３８００１３８０００",
        },
        {"id_number": "\u0000\u202e", "name": "\ud7ff", "mobile": "+86 138 0013 8000"},
        {},
    ],
)
def test_garbage_sign_up_input_never_causes_a_server_error(client, centre, payload):
    data = {"password": "long-enough", "confirm": "long-enough", **payload}
    data["csrf_token"] = csrf_token(client, "/signup")
    response = client.post("/signup", data=data)
    assert 400 <= response.status_code < 500
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert Student.select().count() == 0


def test_garbage_sign_in_input_never_causes_a_server_error(client, centre):
    for identifier in ("x" * 5000, "\u0000", "' OR 1=1 --", "１３９００００００００"):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"identifier": identifier, "password": "p" * 3000, "csrf_token": token}
        )
        assert response.status_code in (400, 401, 429)
