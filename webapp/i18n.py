"""Languages: Simplified Chinese by default, Traditional Chinese and English on request."""

from datetime import timedelta

from flask import current_app, has_request_context, request, session
from flask_babel import (
    Babel,
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_timedelta,
    get_locale,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.vocabulary import (
    ApplicationStatus,
    AppointmentStatus,
    Category,
    ClockFlag,
    ConfirmedVia,
    ContractChangeKind,
    DeskStatus,
    Discrepancy,
    Ethnicity,
    HalfDay,
    HardshipFactor,
    Health,
    HukouType,
    IncidentKind,
    Level,
    MemberRelation,
    MessageTemplate,
    NationalField,
    NationalList,
    NewStage,
    PoliticalStatus,
    PreregStatus,
    Relation,
    Role,
    SchoolKind,
    Service,
    Sex,
    SpecialGroup,
    StudyProgress,
    SyncResult,
)

babel = Babel()
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}


def select_locale():
    """The remembered choice (session, then a long-lived cookie), else the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for choice in (session.get("locale"), request.cookies.get(LANGUAGE_COOKIE)):
        if choice in languages:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_yuan(amount):
    """An amount in yuan: ¥16,000 in both Chinese scripts (the renminbi of a mainland service, not
    Babel's CN¥ of zh_Hant), CN¥16,000 in English."""
    if amount is None:
        return ""
    if get_locale().language == "zh":
        return "¥" + format_decimal(amount, format="#,##0.##")
    return format_currency(amount, "CNY", format="¤#,##0.##", currency_digits=False)


# The mainland's 24-hour clock in both scripts: CLDR writes zh_Hant times as 晚上7:27, which a
# Traditional-script reader of a mainland service finds odd beside every other page.
CHINESE_DATETIME = {"short": "y/M/d HH:mm", "medium": "y年M月d日 HH:mm:ss"}


def format_local_datetime(value, format="medium"):
    """format_datetime, with the 24-hour clock in both Chinese scripts."""
    if get_locale().language == "zh" and format in CHINESE_DATETIME:
        format = CHINESE_DATETIME[format]
    return format_datetime(value, format)


# Msgids of the domain's values (webapp/vocabulary.py), shared by screens (lazy labels) and
# printed documents (bi()).
SEX_MSGIDS = Sex.msgids()
SERVICE_MSGIDS = Service.msgids()
HALF_DAY_MSGIDS = HalfDay.msgids()
SCHOOL_KIND_MSGIDS = SchoolKind.msgids()
RELATION_MSGIDS = Relation.msgids()
LEVEL_MSGIDS = Level.msgids()
CATEGORY_MSGIDS = Category.msgids()
PREREG_STATUS_MSGIDS = PreregStatus.msgids()
APPLICATION_STATUS_MSGIDS = ApplicationStatus.msgids()
SPECIAL_GROUP_MSGIDS = SpecialGroup.msgids()
HARDSHIP_FACTOR_MSGIDS = HardshipFactor.msgids()
MEMBER_RELATION_MSGIDS = MemberRelation.msgids()
HEALTH_MSGIDS = Health.msgids()
STUDY_PROGRESS_MSGIDS = StudyProgress.msgids()
NEW_STAGE_MSGIDS = NewStage.msgids()
ROLE_MSGIDS = Role.msgids()
INCIDENT_MSGIDS = IncidentKind.msgids()
DESK_STATUS_MSGIDS = DeskStatus.msgids()
APPOINTMENT_MSGIDS = AppointmentStatus.msgids()
SYNC_RESULT_MSGIDS = SyncResult.msgids()
CLOCK_FLAG_MSGIDS = ClockFlag.msgids()
ETHNICITY_MSGIDS = Ethnicity.msgids()
POLITICAL_STATUS_MSGIDS = PoliticalStatus.msgids()
HUKOU_TYPE_MSGIDS = HukouType.msgids()
NATIONAL_LIST_MSGIDS = NationalList.msgids()
NATIONAL_FIELD_MSGIDS = NationalField.msgids()
DISCREPANCY_MSGIDS = Discrepancy.msgids()
CONFIRMED_VIA_MSGIDS = ConfirmedVia.msgids()
CONTRACT_CHANGE_MSGIDS = ContractChangeKind.msgids()


# The steps of a first-loan application (services/applications.STEPS), by name.
STEP_LABELS = {
    "personal": _l("You and your family"),
    "co_borrower": _l("Co-borrower"),
    "study": _l("Study details"),
    "loan": _l("Loan request"),
    "hardship": _l("Family hardship"),
}

# The voice the waiting-room screen calls tickets in, by the screen's language.
SPEECH_LANGS = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "en": "en-US"}


def _lazy(msgids):
    return {key: _l(msgid) for key, msgid in msgids.items()}


SEX_LABELS = _lazy(SEX_MSGIDS)
SYNC_RESULT_LABELS = _lazy(SYNC_RESULT_MSGIDS)
CLOCK_FLAG_LABELS = _lazy(CLOCK_FLAG_MSGIDS)
ETHNICITY_LABELS = _lazy(ETHNICITY_MSGIDS)
POLITICAL_STATUS_LABELS = _lazy(POLITICAL_STATUS_MSGIDS)
HUKOU_TYPE_LABELS = _lazy(HUKOU_TYPE_MSGIDS)
SERVICE_LABELS = _lazy(SERVICE_MSGIDS)
NATIONAL_LIST_LABELS = _lazy(NATIONAL_LIST_MSGIDS)
NATIONAL_FIELD_LABELS = _lazy(NATIONAL_FIELD_MSGIDS)
DISCREPANCY_LABELS = _lazy(DISCREPANCY_MSGIDS)
CONFIRMED_VIA_LABELS = _lazy(CONFIRMED_VIA_MSGIDS)
CONTRACT_CHANGE_LABELS = _lazy(CONTRACT_CHANGE_MSGIDS)
# A text message's kind in a word or two, for the counts (the template's msgid is the message).
MESSAGE_KIND_LABELS = {
    MessageTemplate.VERIFICATION_CODE: _l("Verification code"),
    MessageTemplate.ALREADY_REGISTERED: _l("Sign-up with a known number"),
    MessageTemplate.MOBILE_CHANGED: _l("Mobile number changed"),
    MessageTemplate.ID_NUMBER_HAS_ACCOUNT: _l("Sign-up with a known ID number"),
    MessageTemplate.BOOKING_MADE: _l("Booking made"),
    MessageTemplate.BOOKING_CANCELLED: _l("Booking cancelled"),
    MessageTemplate.BOOKING_MOVED: _l("Booking moved"),
    MessageTemplate.BOOKING_CHOOSE: _l("Booking to choose again"),
    MessageTemplate.DAY_BEFORE: _l("Day-before reminder"),
    MessageTemplate.RENEWAL_RETURNED: _l("Renewal returned"),
    MessageTemplate.RENEWAL_APPROVED: _l("Renewal approved"),
    MessageTemplate.RENEWAL_WINDOW: _l("Renewal: come to the window"),
    MessageTemplate.PAPERS_DUE: _l("Paper due"),
    MessageTemplate.PAPERS_OVERDUE: _l("Paper overdue"),
    MessageTemplate.CONFIRMATION_MISSING: _l("Receipt not confirmed"),
    MessageTemplate.QUEUE_NEAR: _l("Your turn is near"),
    MessageTemplate.SIGN_IN_COPIED: _l("Copied sign-in"),
}
HALF_DAY_LABELS = _lazy(HALF_DAY_MSGIDS)
SCHOOL_KIND_LABELS = _lazy(SCHOOL_KIND_MSGIDS)
RELATION_LABELS = _lazy(RELATION_MSGIDS)
LEVEL_LABELS = _lazy(LEVEL_MSGIDS)
CATEGORY_LABELS = _lazy(CATEGORY_MSGIDS)
PREREG_STATUS_LABELS = _lazy(PREREG_STATUS_MSGIDS)
APPLICATION_STATUS_LABELS = _lazy(APPLICATION_STATUS_MSGIDS)
SPECIAL_GROUP_LABELS = _lazy(SPECIAL_GROUP_MSGIDS)
HARDSHIP_FACTOR_LABELS = _lazy(HARDSHIP_FACTOR_MSGIDS)
MEMBER_RELATION_LABELS = _lazy(MEMBER_RELATION_MSGIDS)
HEALTH_LABELS = _lazy(HEALTH_MSGIDS)
STUDY_PROGRESS_LABELS = _lazy(STUDY_PROGRESS_MSGIDS)
NEW_STAGE_LABELS = _lazy(NEW_STAGE_MSGIDS)
INCIDENT_LABELS = _lazy(INCIDENT_MSGIDS)
ROLE_LABELS = _lazy(ROLE_MSGIDS)
DESK_STATUS_LABELS = _lazy(DESK_STATUS_MSGIDS)


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_local_datetime,
        number=format_decimal,
        yuan=format_yuan,
        skew=format_skew,
    )

    @app.context_processor
    def _languages():
        code = str(get_locale())
        return {
            "language_names": LANGUAGE_NAMES,
            "current_language": code,
            "html_lang": HTML_LANG.get(code, "zh-Hans"),
            "sex_labels": SEX_LABELS,
            "service_labels": SERVICE_LABELS,
            "half_day_labels": HALF_DAY_LABELS,
            "school_kind_labels": SCHOOL_KIND_LABELS,
            "relation_labels": RELATION_LABELS,
            "level_labels": LEVEL_LABELS,
            "category_labels": CATEGORY_LABELS,
            "prereg_status_labels": PREREG_STATUS_LABELS,
            "application_status_labels": APPLICATION_STATUS_LABELS,
            "study_progress_labels": STUDY_PROGRESS_LABELS,
            "new_stage_labels": NEW_STAGE_LABELS,
            "incident_labels": INCIDENT_LABELS,
            "desk_status_labels": DESK_STATUS_LABELS,
            "role_labels": ROLE_LABELS,
            "clock_flag_labels": CLOCK_FLAG_LABELS,
            "speech_lang": SPEECH_LANGS.get(code, "zh-CN"),
            "step_labels": STEP_LABELS,
        }


def format_skew(seconds):
    """A device clock's difference to the server's, as people say it: "5 days ahead"."""
    if seconds is None:
        return _("not reported")
    if abs(seconds) < 60:
        return _("on time")
    span = format_timedelta(timedelta(seconds=abs(seconds)), threshold=1.1)
    return _("%(span)s ahead", span=span) if seconds > 0 else _("%(span)s behind", span=span)
