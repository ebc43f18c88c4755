"""The domain's words in one place: every status, kind and role is a str enum whose members
carry the msgid of their label. Members compare equal to their stored text ("booked"), so the
database keeps plain strings while the code names each value once."""

from enum import IntEnum, StrEnum


def N_(msgid):
    """Marks a msgid for extraction where it is translated later (labels, printed documents)."""
    return msgid


class _Labelled:
    """Each member is declared as VALUE = "stored text", N_("Label")."""

    @classmethod
    def values(cls):
        """The stored texts, in declaration order."""
        return tuple(member.value for member in cls)

    @classmethod
    def msgids(cls):
        """{stored text: label msgid}, for printed documents (translated per language)."""
        return {member.value: member.msgid for member in cls}


class Vocabulary(_Labelled, StrEnum):
    def __new__(cls, value, msgid):
        member = str.__new__(cls, value)
        member._value_, member.msgid = value, msgid
        return member


class NumberedVocabulary(_Labelled, IntEnum):
    def __new__(cls, value, msgid):
        member = int.__new__(cls, value)
        member._value_, member.msgid = value, msgid
        return member


class Role(Vocabulary):
    ADMIN = "admin", N_("Administrator")
    LEADER = "leader", N_("Leader")
    OUTREACH = "outreach", N_("Outreach")
    DESK = "desk", N_("Desk")
    PROVINCE = "province", N_("Province")
    STUDENT = "student", N_("Student")


STAFF_ROLES = (Role.ADMIN, Role.LEADER, Role.OUTREACH, Role.DESK)
# Who pre-registers at schools, online or not: their pages install the offline form.
OFFLINE_ROLES = (Role.OUTREACH, Role.LEADER, Role.ADMIN)


class Sex(Vocabulary):
    MALE = "M", N_("Male")
    FEMALE = "F", N_("Female")


class Service(Vocabulary):
    """What a student comes to the window for; also the kind of an application."""

    FIRST_LOAN = "first_loan", N_("First loan")
    RENEWAL = "renewal", N_("Renewal")
    CONTRACT_CHANGE = "contract_change", N_("Contract change")


BOOKABLE_SERVICES = (Service.FIRST_LOAN, Service.RENEWAL, Service.CONTRACT_CHANGE)


class HalfDay(Vocabulary):
    MORNING = "morning", N_("Morning")
    AFTERNOON = "afternoon", N_("Afternoon")


class Level(Vocabulary):
    UNDERGRADUATE = "undergraduate", N_("Undergraduate or college (本专科)")
    POSTGRADUATE = "postgraduate", N_("Postgraduate (研究生)")


class SchoolKind(Vocabulary):
    GENERAL = "general", N_("General high school")
    VOCATIONAL = "vocational", N_("Vocational school")


class Relation(Vocabulary):
    """The co-borrower's (and a pre-registered guardian's) relation to the student."""

    FATHER = "father", N_("Father")
    MOTHER = "mother", N_("Mother")
    GUARDIAN = "guardian", N_("Legal guardian")  # 法定监护人
    RELATIVE = "relative", N_("Close relative")
    OTHER = "other", N_("Other")


PARENT_OR_GUARDIAN = (Relation.FATHER, Relation.MOTHER, Relation.GUARDIAN)


class MemberRelation(Vocabulary):
    """A row of the family members table of the family-hardship form."""

    FATHER = "father", N_("Father")
    MOTHER = "mother", N_("Mother")
    GUARDIAN = "guardian", N_("Legal guardian")
    SIBLING = "sibling", N_("Brother or sister")
    GRANDPARENT = "grandparent", N_("Grandparent")
    OTHER = "other", N_("Other")


class Category(NumberedVocabulary):
    """docs/domain.md sections 2 and 3: who skips the family-hardship determination (1-4 pre-approved)."""

    NONE = 0, N_("None: the family-hardship form will be needed")
    POVERTY = (
        1,
        N_(
            "1 · Lifted out of poverty (under the policy) or monitored against a return to poverty, subsistence allowance, extreme hardship, orphan, disability, martyr's child"
        ),
    )
    SUDDEN_HARDSHIP = 2, N_("2 · Sudden family hardship")
    GRANT_HOLDER = 3, N_("3 · High-school national grant holder")
    CERTIFIED = 4, N_("4 · Other, certified by the school or county")


class PreregStatus(Vocabulary):
    ACCEPTED = "accepted", N_("Accepted")
    POSSIBLE_DUPLICATE = "possible_duplicate", N_("Possible duplicate")
    INVALID = "invalid", N_("Invalid")
    MERGED = "merged", N_("Merged")
    REJECTED = "rejected", N_("Rejected")


REVIEW_STATUSES = (PreregStatus.POSSIBLE_DUPLICATE, PreregStatus.INVALID)


class ApplicationStatus(Vocabulary):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Submitted")
    RETURNED = "returned", N_("Returned")
    APPROVED = "approved", N_("Approved")
    ACCEPTED = "accepted", N_("Loan accepted")
    CANCELLED = "cancelled", N_("Cancelled")


# A student may still change these.
EDITABLE_APPLICATIONS = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class Ethnicity(Vocabulary):
    """The 56 ethnic groups of China by their GB/T 3304 codes (民族), for the forms."""

    HAN = "01", N_("Han")
    MONGOL = "02", N_("Mongol")
    HUI = "03", N_("Hui")
    TIBETAN = "04", N_("Tibetan")
    UYGHUR = "05", N_("Uyghur")
    MIAO = "06", N_("Miao")
    YI = "07", N_("Yi")
    ZHUANG = "08", N_("Zhuang")
    BUYEI = "09", N_("Buyei")
    KOREAN = "10", N_("Korean")
    MANCHU = "11", N_("Manchu")
    DONG = "12", N_("Dong")
    YAO = "13", N_("Yao")
    BAI = "14", N_("Bai")
    TUJIA = "15", N_("Tujia")
    HANI = "16", N_("Hani")
    KAZAKH = "17", N_("Kazakh")
    DAI = "18", N_("Dai")
    LI = "19", N_("Li")
    LISU = "20", N_("Lisu")
    VA = "21", N_("Va")
    SHE = "22", N_("She")
    GAOSHAN = "23", N_("Gaoshan")
    LAHU = "24", N_("Lahu")
    SUI = "25", N_("Sui")
    DONGXIANG = "26", N_("Dongxiang")
    NAXI = "27", N_("Naxi")
    JINGPO = "28", N_("Jingpo")
    KYRGYZ = "29", N_("Kyrgyz")
    TU = "30", N_("Tu")
    DAUR = "31", N_("Daur")
    MULAO = "32", N_("Mulao")
    QIANG = "33", N_("Qiang")
    BLANG = "34", N_("Blang")
    SALAR = "35", N_("Salar")
    MAONAN = "36", N_("Maonan")
    GELAO = "37", N_("Gelao")
    XIBE = "38", N_("Xibe")
    ACHANG = "39", N_("Achang")
    PUMI = "40", N_("Pumi")
    TAJIK = "41", N_("Tajik")
    NU = "42", N_("Nu")
    UZBEK = "43", N_("Uzbek")
    RUSSIAN = "44", N_("Russian")
    EVENKI = "45", N_("Evenki")
    DEANG = "46", N_("Deang")
    BONAN = "47", N_("Bonan")
    YUGUR = "48", N_("Yugur")
    GIN = "49", N_("Gin")
    TATAR = "50", N_("Tatar")
    DERUNG = "51", N_("Derung")
    OROQEN = "52", N_("Oroqen")
    HEZHEN = "53", N_("Hezhen")
    MONBA = "54", N_("Monba")
    LHOBA = "55", N_("Lhoba")
    JINO = "56", N_("Jino")


class PoliticalStatus(Vocabulary):
    CPC_MEMBER = "cpc_member", N_("Member of the Communist Party of China")
    CPC_PROBATIONARY = "cpc_probationary", N_("Probationary member of the Communist Party of China")
    CYL_MEMBER = "cyl_member", N_("Member of the Communist Youth League")
    MASSES = "masses", N_("No political affiliation")
    OTHER = "other", N_("Other (a democratic party, or none of the above)")


class HukouType(Vocabulary):
    """Where the household was registered before university (入学前户口)."""

    URBAN = "urban", N_("Urban")
    RURAL = "rural", N_("Rural")


class SpecialGroup(Vocabulary):
    """The yes/no items of the national family-hardship form."""

    REGISTERED_POVERTY = "registered_poverty", N_("Family lifted out of poverty, still under the policy")
    RELAPSE_MONITORING = "relapse_monitoring", N_("Monitored against falling back into poverty")
    SUBSISTENCE = "subsistence", N_("Subsistence allowance household")
    NEAR_SUBSISTENCE = "near_subsistence", N_("Household on the edge of the subsistence allowance")
    EXTREME_HARDSHIP = "extreme_hardship", N_("Extreme hardship support")
    ORPHAN = "orphan", N_("Orphaned or disabled student without family support")
    SINGLE_PARENT = "single_parent", N_("Child of a single-parent family")
    MARTYR_CHILD = "martyr_child", N_("Child of a martyr or of a family under special care")
    DISABLED = "disabled", N_("Disabled student of a family in hardship")
    DISABLED_PARENT = "disabled_parent", N_("Child of disabled parents")


# The ticks that are category 1's special groups (特殊群体): a single-parent family or a household on
# the edge of the subsistence allowance is a hardship factor of the form, not a special group.
CATEGORY_ONE_GROUPS = frozenset(
    {
        SpecialGroup.REGISTERED_POVERTY,
        SpecialGroup.RELAPSE_MONITORING,
        SpecialGroup.SUBSISTENCE,
        SpecialGroup.EXTREME_HARDSHIP,
        SpecialGroup.ORPHAN,
        SpecialGroup.MARTYR_CHILD,
        SpecialGroup.DISABLED,
        SpecialGroup.DISABLED_PARENT,
    }
)

# 建档立卡 (registered poverty) ended with 2020; a record of a season up to then keeps its words.
POVERTY_REGISTRATION_LAST_YEAR = 2020
REGISTERED_POVERTY_UNTIL_2020 = N_("Registered poverty household")


def special_group_msgids(season_year: int) -> dict[str, str]:
    """The family-hardship form's special groups in the words of the season's year."""
    msgids = SpecialGroup.msgids()
    if season_year <= POVERTY_REGISTRATION_LAST_YEAR:
        msgids[SpecialGroup.REGISTERED_POVERTY] = REGISTERED_POVERTY_UNTIL_2020
    return msgids


class HardshipFactor(Vocabulary):
    LOW_INCOME = "low_income", N_("Low family income")
    ILLNESS = "illness", N_("Serious illness in the family")
    DISASTER = "disaster", N_("Natural disaster or accident")
    SEVERAL_IN_EDUCATION = "several_in_education", N_("Several children in education")
    SINGLE_PARENT = "single_parent", N_("Single-parent family")
    UNEMPLOYMENT = "unemployment", N_("Unemployment in the family")


class Health(Vocabulary):
    HEALTHY = "healthy", N_("Healthy")
    CHRONIC_ILLNESS = "chronic_illness", N_("Chronic illness")
    SERIOUS_ILLNESS = "serious_illness", N_("Serious illness")
    DISABLED = "disabled", N_("Disabled")


class StudyProgress(Vocabulary):
    """How a renewing student says their studies are going."""

    ON_TRACK = "on_track", N_("Studying normally")
    REPEATING_YEAR = "repeating_year", N_("Repeating a year")
    SUSPENDED = "suspended", N_("Studies suspended")
    CHANGED_MAJOR = "changed_major", N_("Changed major")


class NewStage(Vocabulary):
    """A first loan for a new stage of study by a student who borrowed for an earlier one."""

    ASSOCIATE_TO_BACHELOR = "associate_to_bachelor", N_("From college to a bachelor's degree (专升本)")
    BACHELOR_TO_MASTER = "bachelor_to_master", N_("From a bachelor's to a master's degree")
    MASTER_TO_DOCTOR = "master_to_doctor", N_("From a master's degree to a doctorate")


# The level of study a new stage's loan is for (and so its cap): a master's after a bachelor's is
# a postgraduate's loan.
NEW_STAGE_LEVEL = {
    NewStage.ASSOCIATE_TO_BACHELOR: Level.UNDERGRADUATE,
    NewStage.BACHELOR_TO_MASTER: Level.POSTGRADUATE,
    NewStage.MASTER_TO_DOCTOR: Level.POSTGRADUATE,
}


class StudentStage(Vocabulary):
    """Where a student stands in the season (services/casework/student_record.py gives the next step)."""

    NOT_PRE_REGISTERED = "not_pre_registered", N_("Not yet pre-registered")
    PRE_REGISTERED = "pre_registered", N_("Pre-registered at your school")
    APPLICATION_INCOMPLETE = "application_incomplete", N_("Application not finished")
    SUBMITTED = "submitted", N_("Application complete")
    BOOKED = "booked", N_("Appointment booked")
    ACCEPTED = "accepted", N_("Loan accepted")
    CERTIFICATE_ISSUED = "certificate_issued", N_("Certificate issued")
    RENEWAL_DUE = "renewal_due", N_("Renewal due")
    RENEWAL_SENT = "renewal_sent", N_("Renewal declaration sent")
    RENEWAL_RETURNED = "renewal_returned", N_("Renewal declaration returned")
    RENEWAL_APPROVED = "renewal_approved", N_("Renewal approved")
    RENEWAL_WINDOW = "renewal_window", N_("Renewal approved: come to sign")
    STUDY_ENDED = "study_ended", N_("Earlier loan's study period ended")


class SyncResult(Vocabulary):
    """The answer to one record of a sync batch (services/outreach/sync.py)."""

    ACCEPTED = "accepted", N_("Accepted")
    POSSIBLE_DUPLICATE = "possible_duplicate", N_("Possible duplicate")
    INVALID = "invalid", N_("Invalid")
    STALE = "stale", N_("A newer version is on the server")
    CLOSED = "closed", N_("Already settled by the centre")
    # Captured by another user, from a device that user has not used: the device keeps it
    # until its capturer signs in (services/outreach/sync.py).
    HELD = "held", N_("Waiting for the person who captured it to sign in")


class ClockFlag(Vocabulary):
    """What the server noticed about a device's clock when a record arrived (services/outreach/sync.py)."""

    AFTER_ARRIVAL = "after_arrival", N_("Captured later than it arrived: the device's clock runs ahead")
    DAY_OFF = "day_off", N_("The device's clock was more than a day off")


class AppointmentStatus(Vocabulary):
    BOOKED = "booked", N_("Booked")
    CANCELLED = "cancelled", N_("Cancelled")
    CHECKED_IN = "checked_in", N_("Checked in")
    NO_SHOW = "no_show", N_("No-show")
    DONE = "done", N_("Done")


# A booking that holds its place of the day (services/booking/quotas.py).
HOLDING_PLACE = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class TicketStatus(Vocabulary):
    """held: a walk-in's ticket until staff admit it; skipped: not there when called."""

    HELD = "held", N_("Walk-in, not admitted yet")
    WAITING = "waiting", N_("Checked in, waiting")
    CALLED = "called", N_("Called")
    SERVING = "serving", N_("Being served")
    DONE = "done", N_("Done")
    SKIPPED = "skipped", N_("No-show")


class DeskStatus(Vocabulary):
    """One status per row of the desk's day: the ticket's, unless the loan is accepted."""

    BOOKED = "booked", N_("Booked")
    HELD = "held", N_("Walk-in, not admitted yet")
    WAITING = "waiting", N_("Checked in, waiting")
    CALLED = "called", N_("Called")
    SERVING = "serving", N_("Being served")
    DONE = "done", N_("Done")
    ACCEPTED = "accepted", N_("Loan accepted")
    NO_SHOW = "no_show", N_("No-show")


class ContractLater(Vocabulary):
    """Papers now, contract later (services/desk/contract_later.py), as the desk's day shows it."""

    DEFERRED = "deferred", N_("Papers received, contract later")
    RETURN = "return", N_("Back to sign the contract")


class Duty(Vocabulary):
    """A duty of the rota (值班): today only the leader of the hall."""

    LEADER = "leader", N_("Duty leader")


class ClaimReason(Vocabulary):
    """Why a sign-up waits for the desk instead of getting the record the centre holds."""

    NAME_DIFFERS = (
        "name_differs",
        N_("The name you typed is not the name the centre recorded for this ID number."),
    )
    HELD_BY_ANOTHER = "held_by_another", N_("Another account already holds the record of this ID number.")


class MessageState(Vocabulary):
    """A text message through the gateway (services/messaging/messages.py)."""

    QUEUED = "queued", N_("Waiting to be sent")
    LOGGED = "logged", N_("Kept in the message log (no provider)")
    SENT = "sent", N_("Handed to the provider")
    FAILED = "failed", N_("Failed")
    SKIPPED = "skipped", N_("Not sent")


class SkipReason(Vocabulary):
    """Why a queued message was not sent."""

    REMINDERS_OFF = "reminders_off", N_("The student turned reminders off")
    NO_MOBILE = "no_mobile", N_("No mobile number")


class MessageTemplate(Vocabulary):
    """What a text message says; each provider maps it to its own approved template."""

    VERIFICATION_CODE = (
        "verification_code",
        N_("Your verification code is %(code)s; it is valid for 10 minutes."),
    )
    ALREADY_REGISTERED = (
        "already_registered",
        N_(
            "Someone tried to sign up with this mobile number, which already has an account. Sign in instead, or ignore this message."
        ),
    )
    MOBILE_CHANGED = (
        "mobile_changed",
        N_(
            "The mobile number of your student loan account is now the one ending in %(last4)s. If you did not ask for this, call the student aid centre."
        ),
    )
    ID_NUMBER_HAS_ACCOUNT = (
        "id_number_has_account",
        N_(
            "The ID number you signed up with already has an account. Sign in with it; if that account is not yours, bring your ID card to the student aid centre."
        ),
    )
    BOOKING_MADE = (
        "booking_made",
        N_(
            "Student loan: you are booked for %(day)s (%(half_day)s) at %(address)s, code %(code)s. What to bring: %(link)s"
        ),
    )
    BOOKING_CANCELLED = (
        "booking_cancelled",
        N_("Student loan: your booking %(code)s for %(day)s (%(half_day)s) is cancelled."),
    )
    BOOKING_MOVED = (
        "booking_moved",
        N_(
            "Student loan: the centre is closed on %(old_day)s. Your booking %(code)s moved to %(day)s (%(half_day)s)."
        ),
    )
    BOOKING_CHOOSE = (
        "booking_choose",
        N_(
            "Student loan: the centre is closed on %(old_day)s and your booking %(code)s is cancelled. Choose another half-day: %(link)s"
        ),
    )
    DAY_BEFORE = (
        "day_before",
        N_(
            "Student loan: tomorrow, %(day)s (%(half_day)s), at %(address)s. Booking code %(code)s. Bring your ID card and the papers on the list."
        ),
    )
    RENEWAL_RETURNED = (
        "renewal_returned",
        N_("Student loan: your renewal declaration was returned: %(reason)s Correct it online."),
    )
    RENEWAL_APPROVED = (
        "renewal_approved",
        N_("Student loan: the renewal of %(name)s is approved for %(year)s; there is nothing more to do."),
    )
    RENEWAL_WINDOW = (
        "renewal_window",
        N_(
            "Student loan: the renewal of %(name)s is approved; please come to the centre's window to sign. Book a half-day online."
        ),
    )
    PAPERS_DUE = (
        "papers_due",
        N_("Student loan: the centre still needs %(paper)s from you by %(day)s."),
    )
    PAPERS_OVERDUE = (
        "papers_overdue",
        N_("Student loan: %(paper)s was due on %(day)s. Please bring it to the centre."),
    )
    CONFIRMATION_MISSING = (
        "confirmation_missing",
        N_(
            "Student loan: %(university)s has not confirmed your loan receipt yet. Ask its student aid office before %(day)s; it enters the contract number and the receipt verification code of your certificate."
        ),
    )
    QUEUE_NEAR = (
        "queue_near",
        N_("Student loan: %(n)d people before you (ticket %(ticket)s). Please come to the hall."),
    )
    SIGN_IN_COPIED = (
        "sign_in_copied",
        N_(
            "Student loan: an old copy of your sign-in was used on another device, so every device is signed out. Sign in again; if you did not expect this, change your password."
        ),
    )


class CodePurpose(Vocabulary):
    """What a one-time code sent by text message proves (services/identity/one_time_codes.py)."""

    SIGN_UP = "sign_up", N_("Sign-up")
    CHANGE_MOBILE = "change_mobile", N_("A new mobile number")
    SIGN_IN = "sign_in", N_("Signing in while sign-in is paused")
    PASSWORD_RESET = "password_reset", N_("A forgotten password")


class IncidentKind(Vocabulary):
    CROWDING = "crowding", N_("Crowding in the hall")
    COMPLAINT = "complaint", N_("Complaint")
    CANNOT_RETURN = "cannot_return", N_("Student cannot come back the same day")
    OTHER = "other", N_("Other")


class DocumentKind(Vocabulary):
    """A printed document (docs/domain.md section 4)."""

    PREREG_SLIP = "prereg_slip", N_("Pre-registration slip")
    APPLICATION_FORM = "application_form", N_("Application form")
    HARDSHIP_FORM = "hardship_form", N_("Family-hardship determination form")
    CERTIFICATE = "certificate", N_("Acceptance certificate")
    DAILY_LIST = "daily_list", N_("Daily appointment list")


class NationalList(Vocabulary):
    """A list exported from the national student-loan system and uploaded here."""

    CONTRACTS = "contracts", N_("Contract list")
    CONFIRMATIONS = "confirmations", N_("Receipt confirmations")


class NationalField(Vocabulary):
    """A column of a national list, as the centre's column mapping names it."""

    ID_NUMBER = "id_number", N_("Resident ID number")
    NAME = "name", N_("Name")
    CONTRACT_NUMBER = "contract_number", N_("Contract number")
    RECEIPT_CODE = "receipt_code", N_("Receipt verification code")
    AMOUNT = "amount", N_("Amount (yuan)")
    LOAN_TYPE = "loan_type", N_("Loan type")
    UNIVERSITY = "university", N_("University")
    DATE = "date", N_("Date")


class Discrepancy(Vocabulary):
    """How a student's loan here compares with the national system's contract list."""

    MATCHED = "matched", N_("Matched")
    NATIONAL_ONLY = "national_only", N_("In the national list, not accepted here")
    HERE_ONLY = "here_only", N_("Accepted here, missing from the national list")
    DIFFERING = "differing", N_("Differs")
    NO_CONTRACT = "no_contract", N_("Renewal without its own contract")


class ConfirmedVia(Vocabulary):
    """How the centre learnt a university confirmed a receipt (回执确认)."""

    HAND = "hand", N_("Marked by hand")
    IMPORT = "import", N_("National system's list")


class ContractChangeKind(Vocabulary):
    """A change to a signed contract (合同变更) the desk handles."""

    CO_BORROWER = "co_borrower", N_("Co-borrower change")
    UNIVERSITY = "university", N_("University or length-of-study change")
    AMOUNT = "amount", N_("Amount change")


class AuditAction(Vocabulary):
    """Every action the audit log records (services/common/audit.py), with the words people read."""

    ACCOUNT_ACTIVATED = "account.activated", N_("Account reactivated")
    ACCOUNT_CLAIM_CONFIRMED = "account.claim_confirmed", N_("Identity confirmed at the desk")
    ACCOUNT_CLAIM_REFUSED = "account.claim_refused", N_("Identity refused at the desk")
    ACCOUNT_CLAIM_WAITING = "account.claim_waiting", N_("Account waiting for an identity check")
    ACCOUNT_CREATE = "account.create", N_("Account created")
    ACCOUNT_CREATED_BY_ADMIN = "account.created_by_admin", N_("Staff account created")
    ACCOUNT_LOGIN = "account.login", N_("Signed in")
    ACCOUNT_LOGOUT = "account.logout", N_("Signed out")
    ACCOUNT_PASSWORD_CHANGED = "account.password_changed", N_("Password changed")
    ACCOUNT_PASSWORD_FORGOTTEN = (
        "account.password_forgotten",
        N_("Forgotten password set again with a text-message code"),
    )
    ACCOUNT_PASSWORD_RESET = "account.password_reset", N_("Password reset")
    ACCOUNT_SESSION_ENDED = "account.session_ended", N_("A device signed out")
    ACCOUNT_SESSIONS_ENDED = "account.sessions_ended", N_("Other devices signed out")
    ACCOUNT_SIGNED_IN_BY_CODE = "account.signed_in_by_code", N_("Signed in with a text-message code")
    ACCOUNT_SIGN_IN_COPIED = (
        "account.sign_in_copied",
        N_("A copied sign-in was used: every device signed out"),
    )
    ACCOUNT_SIGN_IN_PAUSED = "account.sign_in_paused", N_("Sign-in paused after failed attempts")
    ACCOUNT_SIGNUP = "account.signup", N_("Student signed up")
    APPLICATION_ACCEPTED = "application.accepted", N_("Loan accepted")
    APPLICATION_CO_BORROWER = "application.co_borrower", N_("Co-borrower entered")
    APPLICATION_CONTRACT_LATER = "application.contract_later", N_("Papers received, contract later")
    APPLICATION_CORRECTED = "application.corrected", N_("Application corrected")
    APPLICATION_HARDSHIP = "application.hardship", N_("Family-hardship details entered")
    APPLICATION_LOAN = "application.loan", N_("Loan amount entered")
    APPLICATION_MATERIALS = "application.materials", N_("Materials ticked")
    APPLICATION_NEW_STAGE = "application.new_stage", N_("Loan for a new stage of study started")
    APPLICATION_PERSONAL = "application.personal", N_("Personal and family details entered")
    APPLICATION_STUDY = "application.study", N_("Study details entered")
    APPLICATION_SUBMITTED = "application.submitted", N_("Application submitted")
    BOOKING_CANCELLED = "booking.cancelled", N_("Booking cancelled")
    BOOKING_CREATED = "booking.created", N_("Half-day booked")
    BOOKING_MOVED = "booking.moved", N_("Booking moved to another half-day")
    CENTRE_CHANGED = "centre.changed", N_("Centre details changed")
    CENTRE_CREATED = "centre.created", N_("Centre added")
    CERTIFICATE_ISSUED = "certificate.issued", N_("Certificate issued")
    CERTIFICATE_REISSUED = "certificate.reissued", N_("Certificate reissued")
    CERTIFICATE_REVOKED = "certificate.revoked", N_("Certificate revoked")
    CONTRACT_CHANGED = "contract.changed", N_("Contract changed")
    DOCUMENTS_PRINTED = "documents.printed", N_("Documents printed")
    DUTY_ASSIGNED = "duty.assigned", N_("Duty leader assigned")
    DUTY_CLEARED = "duty.cleared", N_("Duty leader removed")
    EXPORT_LOANS = "export.loans", N_("Accepted loans exported")
    EXPORT_PRE_REGISTRATIONS = "export.pre_registrations", N_("Pre-registrations exported")
    EXPORT_DIFFERENCES = "export.differences", N_("Differences with the national list exported")
    EXPORT_PROVINCE_LOANS = "export.province_loans", N_("Every centre's loans exported")
    EXPORT_PROVINCE_STATISTICS = "export.province_statistics", N_("Every centre's statistics exported")
    EXPORT_STATISTICS = "export.statistics", N_("Statistics exported")
    ID_NUMBERS_REENCRYPTED = "id_numbers.reencrypted", N_("ID numbers re-encrypted")
    INCIDENT_CLOSED = "incident.closed", N_("Incident closed")
    INCIDENT_REPORTED = "incident.reported", N_("Incident reported")
    MATERIALS_OWED = "materials.owed", N_("Papers to follow recorded")
    MATERIALS_RECEIVED = "materials.received", N_("Owed paper handed in")
    MESSAGE_RESENT = "message.resent", N_("Text message sent again")
    NATIONAL_IMPORT = "national.import", N_("National list imported")
    NATIONAL_MAPPING = "national.mapping", N_("National list's columns mapped")
    NATIONAL_RESOLVED = "national.resolved", N_("Difference with the national list resolved")
    PREREG_KEPT = "prereg.kept", N_("Pre-registration kept as a different person")
    PREREG_MERGED = "prereg.merged", N_("Pre-registration merged")
    PREREG_MERGED_INTO = "prereg.merged_into", N_("Pre-registration received a merge")
    PREREG_REJECTED = "prereg.rejected", N_("Pre-registration rejected")
    PREREG_REVISED = "prereg.revised", N_("Pre-registration revised on the device")
    PROVINCE_STUDENT_SEARCH = "province.student_search", N_("Student searched across centres")
    RECEIPT_CONFIRMED = "receipt.confirmed", N_("Receipt confirmed by the university")
    RECORD_VIEWED = "record.viewed", N_("Full record opened")
    RENEWAL_APPROVED = "renewal.approved", N_("Renewal approved")
    RENEWAL_CONTRACT_FROM_LIST = (
        "renewal.contract_from_list",
        N_("Renewal's contract taken from the national list"),
    )
    RENEWAL_COPIED_CONTRACT_CLEARED = (
        "renewal.copied_contract_cleared",
        N_("Earlier year's contract number removed from a renewal"),
    )
    RENEWAL_DECLARED = "renewal.declared", N_("Renewal declared")
    RENEWAL_RETURNED = "renewal.returned", N_("Renewal returned to the student")
    ROSTER_IMPORT = "roster.import", N_("Roster imported")
    SCHOOL_ACTIVATED = "school.activated", N_("School reactivated")
    SCHOOL_CREATED = "school.created", N_("School added")
    SEASON_CLOSED_DAY = "season.closed_day", N_("Day closed")
    SEASON_CREATED = "season.created", N_("Season created")
    SEASON_MADE_CURRENT = "season.made_current", N_("Season made current")
    SEASON_QUOTA = "season.quota", N_("Places changed")
    SEASON_RATE_CORRECTED = "season.rate_corrected", N_("Interest rate corrected to the policy")
    SEASON_REOPENED_DAY = "season.reopened_day", N_("Day reopened")
    STUDENT_HOUSEHOLD_CHECKED = "student.household_checked", N_("Household register checked")
    STUDENT_CREATED_AT_DESK = (
        "student.created_at_desk",
        N_("Student's record made at the window from the ID card"),
    )
    STUDENT_MOBILE_PROVEN = (
        "student.mobile_proven",
        N_("The mobile number proven at sign-up replaced the one recorded at school"),
    )
    STUDENT_REMINDERS = "student.reminders", N_("Reminders turned on or off")
    TICKET_ADMITTED = "ticket.admitted", N_("Walk-in admitted")
    TICKET_CALLED = "ticket.called", N_("Ticket called")
    TICKET_FINISHED = "ticket.finished", N_("Ticket finished")
    TICKET_GREEN_CHANNEL = "ticket.green_channel", N_("Green channel given")
    TICKET_ISSUED = "ticket.issued", N_("Ticket issued")
    TICKET_RECALLED = "ticket.recalled", N_("Ticket called again")
    TICKET_REQUEUED = "ticket.requeued", N_("Ticket put back in line")
    TICKET_SERVING = "ticket.serving", N_("Serving started")
    TICKET_SKIPPED = "ticket.skipped", N_("Not there when called")
    TICKET_WALK_IN = "ticket.walk_in", N_("Walk-in ticket given")


ALL_VOCABULARIES = (
    Role, Sex, Service, HalfDay, Level, SchoolKind, Relation, MemberRelation, Category,
    PreregStatus, ApplicationStatus, SpecialGroup, HardshipFactor, Health, StudyProgress, NewStage,
    StudentStage, SyncResult, ClockFlag, AppointmentStatus, TicketStatus, DeskStatus, ContractLater, Duty, MessageState, MessageTemplate, CodePurpose,
    IncidentKind,
    DocumentKind,
    AuditAction,
    Ethnicity,
    PoliticalStatus,
    HukouType,
    NationalList,
    NationalField,
    Discrepancy,
    ConfirmedVia,
    ContractChangeKind,
    SkipReason,
)  # fmt: skip


class TaskName(StrEnum):
    """The task queue's tasks by name: producers enqueue by name (webapp/task_queue.py) and
    never import the module that does the work."""

    DELIVER_MESSAGE = "deliver_message"
    RUN_REMINDERS = "run_reminders"
    FORGET_STALE_UPLOADS = "forget_stale_uploads"
