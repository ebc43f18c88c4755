"""The printed forms carry every field of the national templates, filled from a whole demo
student, in Simplified and in Traditional Chinese (read back with pdftotext)."""

import pytest

from tests.documents_helpers import pdf_text
from tests.http_helpers import csrf_token
from webapp.models import Application, Student
from webapp.services.ops.demo import DEMO_PASSWORD, seed_demo

FILLED = "140623200709302845"  # 陈静: every step filled in, accepted

HARDSHIP_LABELS = {
    "zh_Hans": ["家庭经济困难学生认定申请表", "就读高校", "院系", "专业", "年级/班级", "民族", "政治面貌", "入学前户口",
                "家庭人口数", "毕业学校", "个人特长", "详细通讯地址", "邮政编码", "联系电话", "孤残学生", "单亲家庭子女",
                "烈士子女或优抚家庭子女", "脱贫家庭", "防止返贫监测对象", "最低生活保障家庭", "低保边缘家庭", "特困供养",
                "家庭经济困难残疾学生", "残疾人子女", "工作单位", "职业", "年收入", "健康状况", "家庭人均年收入",
                "家庭遭受自然灾害情况", "家庭遭受突发意外事件", "劳动能力弱情况", "家庭成员失业情况", "家庭欠债情况",
                "其他情况", "学生本学年已获资助情况", "本人承诺以上所填写资料真实，如有虚假，愿承担相应责任。",
                "监护人签字", "特别困难", "一般困难", "不困难", "认定意见"],
    "zh_Hant": ["家庭經濟困難學生認定申請表", "民族", "政治面貌", "入學前戶口", "家庭人口數", "個人特長", "詳細通訊地址",
                "郵政編碼", "孤殘學生", "單親家庭子女", "防止返貧監測對象", "家庭人均年收入", "家庭欠債情況",
                "本人承諾以上所填寫資料真實，如有虛假，願承擔相應責任。", "特別困難", "認定意見"],
}  # fmt: skip
APPLICATION_LABELS = {
    "zh_Hans": ["生源地信用助学贷款申请表", "民族", "详细通讯地址", "学号", "毕业学校", "毕业年份", "工作单位", "地址",
                "年龄", "学费", "住宿费", "贷款用途", "申请理由", "资助中心审核意见", "审核人"],
    "zh_Hant": ["生源地信用助學貸款申請表", "民族", "詳細通訊地址", "學號", "畢業學校", "畢業年份", "工作單位", "貸款用途",
                "申請理由", "資助中心審核意見"],
}  # fmt: skip


@pytest.fixture
def printed(app, client):
    """The desk signed in on the demo data; the fully filled student's application."""
    with app.app_context():
        seed_demo()
    client.post(
        "/login",
        data={"identifier": "desk", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    application = Application.get(Application.student == Student.get(Student.id_number_index == FILLED))
    return application


def flat(text):
    return "".join(text.split())


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_the_family_hardship_form_has_every_field_of_the_national_sample(client, printed, language):
    text = flat(pdf_text(client.get(f"/documents/hardship-form/{printed.id}.pdf?lang={language}").data))
    missing = [label for label in HARDSHIP_LABELS[language] if flat(label) not in text]
    assert missing == []
    for value in ("山西大学", "数学科学学院", "数学与应用数学", "037200", "0349-8012345", "右玉县第一中学",
                  "王老汉", "长期卧床", "2400", "4,600", "为祖父治病借款约3万元", "高中阶段获国家助学金"):  # fmt: skip
        assert flat(value) in text or language == "zh_Hant", value


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_the_application_form_has_every_field_a_centre_collects(client, printed, language):
    text = flat(pdf_text(client.get(f"/documents/application-form/{printed.id}.pdf?lang={language}").data))
    missing = [label for label in APPLICATION_LABELS[language] if flat(label) not in text]
    assert missing == []
    co_borrower = printed.co_borrower
    for value in (
        co_borrower.id_number,
        co_borrower.employer,
        "2026010123",
        "037200",
        "5,000",
        "1,200",
        "父母务农",
    ):
        assert flat(value) in text, value
