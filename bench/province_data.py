"""A province to measure against: 120 county centres of uneven size, 400 schools, 600,000
students, 500,000 applications this season and 400,000 last season, with co-borrowers,
pre-registrations, bookings, tickets and text messages; or one large centre alone (the
embedded default on SQLite).

Rows are written in bulk into a database migrated with the project's migrations: PostgreSQL
through COPY (psycopg2's copy_expert), SQLite through executemany, both in one transaction
with foreign-key checks off while loading (every reference is generated consistent). Ids are
given explicitly, so rows of different tables can refer to each other without reading back;
PostgreSQL's sequences are moved past them afterwards. ID numbers are valid (GB 11643: the
centre's region code, a birth date, a sequence and its check digit), distinct, and stored as
the app stores them: encrypted, with their blind index and last four characters.

Sizes scale with PROVINCE_SCALE (e.g. 0.05 while developing); the number of centres does not.
"""

import io
import os
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from stdnum.cn import ric

from tests.factories import PASSWORD
from webapp import id_crypto
from webapp.clock import local_today, utc_start_of
from webapp.db import database, is_sqlite
from webapp.models import (
    Application,
    Appointment,
    Centre,
    Guardian,
    Message,
    PreRegistration,
    School,
    Season,
    ServiceQuota,
    Student,
    Ticket,
    User,
)
from webapp.services.identity.passwords import hash_password
from webapp.vocabulary import (
    ApplicationStatus,
    AppointmentStatus,
    HalfDay,
    Level,
    MessageState,
    MessageTemplate,
    PreregStatus,
    Relation,
    Role,
    Service,
    SkipReason,
    SpecialGroup,
    TicketStatus,
)

SCALE = float(os.environ.get("PROVINCE_SCALE", "1"))
CHUNK = 20_000  # rows per COPY or executemany


@dataclass(frozen=True)
class Sizes:
    centres: int
    schools: int
    students: int
    current: int  # applications this season
    previous: int  # applications last season

    def applications_text(self):
        return f"{self.centres} centres, {self.students:,} students, {self.current:,} + {self.previous:,} applications"

    def scaled(self, scale):
        if scale == 1:
            return self
        return Sizes(
            self.centres,
            max(round(self.schools * scale), self.centres),
            max(round(self.students * scale), self.centres * 6),
            max(round(self.current * scale), self.centres * 5),
            max(round(self.previous * scale), self.centres * 4),
        )


PROVINCE = Sizes(120, 400, 600_000, 500_000, 400_000)
# One large centre, as the embedded default runs it: the busiest county's season and more.
SINGLE_CENTRE = Sizes(1, 40, 120_000, 100_000, 80_000)

# The ingest benchmark's records carry region 140623 (tests.factories): no loaded centre has
# it, so that they never meet a loaded student.
RESERVED_REGION = "140623"
CITIES = ("太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然欣怡子涵梓轩雨泽"
UNIVERSITIES = ("山西大学", "太原理工大学", "山西医科大学", "中北大学", "山西师范大学", "山西财经大学",
                "北京师范大学", "西安交通大学", "太原师范学院", "山西农业大学", "忻州师范学院")  # fmt: skip
MAJORS = ("计算机科学与技术", "临床医学", "汉语言文学", "会计学", "机械工程", "护理学", "数学与应用数学")


@dataclass
class Loaded:
    """What a benchmark needs to know about what was loaded."""

    sizes: Sizes
    seconds: float
    rows: dict  # table name -> rows written
    busiest_centre: int  # id
    busiest_admin: str  # username
    busiest_applications: int  # this season's
    busiest_outreach: str
    province_user: str | None
    year: int
    median_applications: int
    school_ids: dict = field(default_factory=dict)  # centre id -> its school ids

    def rows_text(self):
        return "; ".join(f"{table} {count:,}" for table, count in self.rows.items())


# --- writing rows -------------------------------------------------------------------------


def _copy_text(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    return str(value)


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class Table:
    """Rows for one model: the given columns, every other column at its model default (a model
    field with neither a value nor a default nor NULL allowed raises at once)."""

    def __init__(self, loader, model, columns):
        self.loader, self.model = loader, model
        fields = model._meta.fields
        now = loader.now
        self.columns = [f'"{fields[name].column_name}"' for name in columns]
        self.defaults = []
        for name, fld in fields.items():
            if name in columns:
                continue
            default = fld.default
            if callable(default):
                default = now if default.__name__ == "utcnow" else default()
            if default is None and not fld.null and not fld.primary_key:
                raise ValueError(f"{model.__name__}.{name} needs a value")
            if default is None and fld.primary_key:
                continue
            self.columns.append(f'"{fld.column_name}"')
            self.defaults.append(fld.db_value(default) if default is not None else None)
        self.defaults = tuple(self.defaults)
        self.buffer, self.count = [], 0

    def add(self, *values):
        self.buffer.append(values + self.defaults)
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self):
        if not self.buffer:
            return
        self.loader.write(self.model._meta.table_name, self.columns, self.buffer)
        self.count += len(self.buffer)
        self.buffer = []


class Loader:
    def __init__(self):
        self.now = datetime.utcnow().replace(microsecond=0)
        self.sqlite = is_sqlite()
        self.tables = {}
        self.cursor = database.cursor()

    def table(self, model, columns):
        self.tables[model] = Table(self, model, columns)
        return self.tables[model]

    def write(self, table, columns, rows):
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.cursor.executemany(
                f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',  # noqa: S608 (our names)
                [[_sqlite_value(v) for v in row] for row in rows],
            )
            return
        text = "\n".join("\t".join(_copy_text(v) for v in row) for row in rows) + "\n"
        self.cursor.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', io.StringIO(text))

    def finish(self):
        for table in self.tables.values():
            table.flush()
        return {model._meta.table_name: table.count for model, table in self.tables.items()}


# --- what is generated ------------------------------------------------------------------------


def _apportion(total, weights, minimum=0):
    """total split by weights (largest remainder), each at least minimum."""
    spare = total - minimum * len(weights)
    whole = sum(weights)
    exact = [spare * w / whole for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])[: spare - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def _regions(count):
    codes = [
        f"14{city:02d}{county:02d}"
        for city in range(1, len(CITIES) + 1)
        for county in range(21, 40)
        if f"14{city:02d}{county:02d}" != RESERVED_REGION
    ]
    rng = random.Random(7)
    return sorted(rng.sample(codes, count))


def _id_number(region, n, first_birth):
    """The n-th distinct valid ID number of a region (birth dates over ~5 years, 1,000
    sequences each); the last sequence digit gives the sex."""
    birth = first_birth + timedelta(days=n % 1800)
    body = f"{region}{birth:%Y%m%d}{n // 1800 % 1000:03d}"
    return body + ric.calc_check_digit(body + "0"), birth, "M" if (n // 1800) % 2 else "F"


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def _weekdays(first, last):
    day, days = first, []
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _pick(rng, table):
    """A value of [(value, weight)...] with weights summing to 1."""
    roll = rng.random()
    for value, weight in table:
        roll -= weight
        if roll < 0:
            return value
    return table[-1][0]


FIRST_LOAN_NOW = [
    (ApplicationStatus.DRAFT, 0.06),
    (ApplicationStatus.SUBMITTED, 0.22),
    (ApplicationStatus.RETURNED, 0.03),
    (ApplicationStatus.ACCEPTED, 0.64),
    (ApplicationStatus.CANCELLED, 0.05),
]
RENEWAL_NOW = [
    (ApplicationStatus.SUBMITTED, 0.12),
    (ApplicationStatus.RETURNED, 0.03),
    (ApplicationStatus.APPROVED, 0.50),
    (ApplicationStatus.ACCEPTED, 0.33),
    (ApplicationStatus.CANCELLED, 0.02),
]
LAST_SEASON = [
    (ApplicationStatus.DRAFT, 0.03),
    (ApplicationStatus.RETURNED, 0.02),
    (ApplicationStatus.ACCEPTED, 0.91),
    (ApplicationStatus.CANCELLED, 0.04),
]
MESSAGE_STATES = [
    (MessageState.SENT, 0.86),
    (MessageState.LOGGED, 0.04),
    (MessageState.FAILED, 0.03),
    (MessageState.SKIPPED, 0.05),
    (MessageState.QUEUED, 0.02),
]


class Generator:
    def __init__(self, sizes, loader, seed=20):
        self.sizes, self.loader = sizes, loader
        self.rng = random.Random(seed)
        self.ids = {}
        self.today = local_today()
        self.now = loader.now
        self.password = hash_password(PASSWORD)
        L = loader
        self.t_centre = L.table(Centre, ["id", "name", "region_code", "address", "phone"])
        self.t_season = L.table(
            Season,
            ["id", "centre", "year", "name", "acceptance_start", "acceptance_end", "cap_undergraduate",
             "cap_postgraduate", "is_current"],
        )  # fmt: skip
        self.t_quota = L.table(ServiceQuota, ["id", "season", "service", "half_day", "places"])
        self.t_school = L.table(School, ["id", "centre", "name", "kind", "code"])
        self.t_user = L.table(User, ["id", "centre", "role", "username", "name", "password_hash"])
        self.t_student = L.table(
            Student,
            ["id", "centre", "id_number", "id_number_index", "id_number_last4", "name", "birth_date", "sex",
             "mobile", "school", "class_name", "created_at"],
        )  # fmt: skip
        self.t_guardian = L.table(
            Guardian, ["id", "student", "name", "relation", "id_number", "mobile", "is_co_borrower"]
        )
        self.t_prereg = L.table(
            PreRegistration,
            ["id", "centre", "uuid", "student", "id_number", "id_number_index", "name", "mobile", "school",
             "class_name", "category", "status", "captured_by", "device_id", "captured_at", "received_at",
             "updated_at"],
        )  # fmt: skip
        self.t_application = L.table(
            Application,
            ["id", "centre", "season", "student", "kind", "status", "co_borrower", "university", "major",
             "level", "study_years", "admission_year", "tuition_fee", "accommodation_fee", "amount_requested",
             "loan_term_years", "contract_number", "accepted_by", "hardship_required", "special_groups",
             "needs_window", "year_of_study", "reviewed_at", "created_at", "updated_at", "submitted_at",
             "accepted_at", "desk_minutes"],
        )  # fmt: skip
        self.t_appointment = L.table(
            Appointment,
            ["id", "centre", "season", "student", "application", "service", "day", "half_day", "code", "status",
             "created_at", "cancelled_at"],
        )  # fmt: skip
        self.t_ticket = L.table(
            Ticket,
            ["id", "centre", "day", "stream", "number", "service", "appointment", "student", "status", "window",
             "issued_at", "queued_at", "called_at", "wait_minutes", "called_by", "served_at", "finished_at"],
        )  # fmt: skip
        self.t_message = L.table(
            Message,
            ["centre", "student", "to_mobile", "template", "language", "state", "skip_reason", "provider",
             "attempts", "error", "created_at", "send_after", "sent_at"],
        )  # fmt: skip
        self.ticket_numbers = {}

    def next_id(self, table):
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def generate(self, province_user=True):
        sizes, rng = self.sizes, self.rng
        weights = [rng.lognormvariate(0, 0.6) for _ in range(sizes.centres)]
        if sizes.centres == 1:
            regions = ["140624"]
        else:
            regions = _regions(sizes.centres)
        students = _apportion(sizes.students, weights, 6)
        current = [min(a, s) for a, s in zip(_apportion(sizes.current, weights, 5), students, strict=True)]
        previous = [min(p, s) for p, s in zip(_apportion(sizes.previous, weights, 4), students, strict=True)]
        schools = _apportion(sizes.schools, weights, 1)
        busiest = max(range(sizes.centres), key=lambda i: current[i])
        info = {}
        if province_user:
            self.t_user.add(
                self.next_id("user"), None, Role.PROVINCE, "province-bench", "省资助中心", self.password
            )
        for i, region in enumerate(regions):
            info[i] = self.centre(i, region, schools[i], students[i], current[i], previous[i])
        ordered = sorted(current)
        return Loaded(
            sizes=sizes,
            seconds=0.0,
            rows={},
            busiest_centre=info[busiest]["id"],
            busiest_admin=info[busiest]["admin"],
            busiest_applications=current[busiest],
            busiest_outreach=info[busiest]["outreach"],
            province_user="province-bench" if province_user else None,
            year=self.today.year,
            median_applications=ordered[len(ordered) // 2],
            school_ids={v["id"]: v["schools"] for v in info.values()},
        )

    def centre(self, index, region, school_count, student_count, current_count, previous_count):
        rng, today, now = self.rng, self.today, self.now
        city = CITIES[(int(region[2:4]) - 1) % len(CITIES)]
        centre_id = self.next_id("centre")
        self.t_centre.add(
            centre_id,
            f"{city}{region[4:]}县学生资助管理中心",
            region,
            f"{city}市{region[4:]}县教育局",
            f"0351-{6000000 + index:07d}",
        )
        # the seasons: this year's window is open (40 days behind, 20 ahead), last year's closed
        start, end = today - timedelta(days=40), today + timedelta(days=20)
        seasons = {}
        for year, first, last, is_current in (
            (today.year, start, end, True),
            (today.year - 1, start - timedelta(days=364), end - timedelta(days=364), False),
        ):
            season_id = self.next_id("season")
            self.t_season.add(
                season_id, centre_id, year, f"{year}年度", first, last, 16000, 20000, is_current
            )
            for service in (Service.FIRST_LOAN, Service.RENEWAL):
                for half in (HalfDay.MORNING, HalfDay.AFTERNOON):
                    self.t_quota.add(self.next_id("quota"), season_id, service, half, 30)
            seasons[year] = (season_id, first, last)
        school_ids = []
        for n in range(school_count):
            school_id = self.next_id("school")
            school_ids.append(school_id)
            kind = "vocational" if n % 4 == 3 else "general"
            name = f"{city}{region[4:]}县第{n + 1}{'职业' if kind == 'vocational' else ''}中学"
            self.t_school.add(school_id, centre_id, name, kind, f"{region}{n:04d}")
        staff = {}
        for role, count in ((Role.ADMIN, 1), (Role.LEADER, 1), (Role.DESK, 3), (Role.OUTREACH, 2)):
            for n in range(count):
                user_id = self.next_id("user")
                username = f"{role}-{region}" + (f"-{n + 1}" if count > 1 else "")
                self.t_user.add(user_id, centre_id, role, username, username, self.password)
                staff.setdefault(role, []).append((user_id, username))
        desks = [user_id for user_id, _ in staff[Role.DESK]]
        # students: the first current_count apply this season, the last previous_count applied
        # last season; those in both renew this season
        first_student = self.ids.get("student", 0) + 1
        renewing_from = student_count - previous_count
        mobiles = []
        for n in range(student_count):
            student_id = self.next_id("student")
            number, birth, sex = _id_number(region, n, date(2003, 1, 1))
            mobile = f"13{student_id:09d}"
            mobiles.append(mobile)
            name = _name(rng)
            self.t_student.add(
                student_id,
                centre_id,
                id_crypto.encrypt(number),
                id_crypto.blind_index(number),
                number[-4:],
                name,
                birth,
                sex,
                mobile,
                school_ids[n % school_count],
                f"高三（{n % 12 + 1}）班",
                now - timedelta(days=rng.randint(1, 400)),
            )
            # the co-borrower: guardian id = student id (one each)
            parent_number, _birth, parent_sex = _id_number(region, n, date(1970, 1, 1))
            self.t_guardian.add(
                student_id,
                student_id,
                _name(rng),
                Relation.FATHER if parent_sex == "M" else Relation.MOTHER,
                id_crypto.encrypt(parent_number),
                f"15{student_id:09d}",
                True,
            )
            if n < current_count and n < renewing_from and rng.random() < 0.7:
                received = datetime(today.year, 3, 1) + timedelta(
                    days=rng.randint(0, 120), hours=rng.randint(1, 9)
                )
                received = min(received, now)
                self.t_prereg.add(
                    self.next_id("prereg"),
                    centre_id,
                    f"{centre_id:08x}{n:024x}",
                    student_id,
                    id_crypto.encrypt(number),
                    id_crypto.blind_index(number),
                    name,
                    mobile,
                    school_ids[n % school_count],
                    f"高三（{n % 12 + 1}）班",
                    rng.choice((0, 0, 0, 1, 2, 3, 4)),
                    PreregStatus.MERGED if rng.random() < 0.1 else PreregStatus.ACCEPTED,
                    staff[Role.OUTREACH][n % 2][0],
                    f"device-{region}-{n % 2}",
                    received - timedelta(minutes=5),
                    received,
                    received,
                )
        for year, count, offset in (
            (today.year, current_count, 0),
            (today.year - 1, previous_count, renewing_from),
        ):
            season_id, first, last = seasons[year]
            self.season_of_centre(
                centre_id, region, season_id, year, first, last, count, offset, first_student, renewing_from,
                mobiles, desks,
            )  # fmt: skip
        return {
            "id": centre_id,
            "admin": staff[Role.ADMIN][0][1],
            "outreach": staff[Role.OUTREACH][0][1],
            "schools": school_ids,
        }

    def season_of_centre(
        self, centre_id, region, season_id, year, first, last, count, offset, first_student, renewing_from,
        mobiles, desks,
    ):  # fmt: skip
        rng, today = self.rng, self.today
        is_current = year == today.year
        open_days = _weekdays(first, min(last, today))
        future_days = _weekdays(today, last) if is_current else []
        for k in range(count):
            n = offset + k
            student_id = first_student + n
            if is_current:
                kind = Service.RENEWAL if n >= renewing_from else Service.FIRST_LOAN
                status = _pick(rng, RENEWAL_NOW if kind == Service.RENEWAL else FIRST_LOAN_NOW)
            else:
                kind = Service.RENEWAL if rng.random() < 0.4 else Service.FIRST_LOAN
                status = _pick(rng, LAST_SEASON)
            postgraduate = rng.random() < 0.08
            level = Level.POSTGRADUATE if postgraduate else Level.UNDERGRADUATE
            study_years = 3 if postgraduate else rng.choice((3, 4, 4, 4, 5))
            amount = rng.randrange(8000, (20000 if postgraduate else 16000) + 1, 1000)
            groups = _pick(
                rng, [(SpecialGroup.REGISTERED_POVERTY, 0.10), (SpecialGroup.SUBSISTENCE, 0.05), ("", 0.85)]
            )
            created = datetime.combine(first, datetime.min.time()) - timedelta(days=rng.randint(1, 60))
            submitted = (
                None if status == ApplicationStatus.DRAFT else created + timedelta(hours=rng.randint(1, 72))
            )
            # a renewal comes to the window when the centre asks it to (and is then accepted there)
            needs_window = kind == Service.RENEWAL and (
                status == ApplicationStatus.ACCEPTED or rng.random() < 0.15
            )
            accepted_at = reviewed_at = contract = desk_minutes = accepted_by = None
            day = half = None
            if status == ApplicationStatus.ACCEPTED:
                day = rng.choice(open_days)
                local_minute = rng.randint(8 * 60 + 30, 17 * 60)
                accepted_at = utc_start_of(day) + timedelta(minutes=local_minute)
                if accepted_at > self.now:
                    accepted_at = self.now - timedelta(minutes=rng.randint(1, 120))
                half = HalfDay.MORNING if local_minute < 12 * 60 else HalfDay.AFTERNOON
                contract = f"{region}{year}{k:07d}"
                desk_minutes = rng.randint(8, 45)
                accepted_by = rng.choice(desks)
            if kind == Service.RENEWAL and status in (ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED):
                reviewed_at = (accepted_at or self.now) - timedelta(days=rng.randint(2, 20))
            application_id = self.next_id("application")
            self.t_application.add(
                application_id,
                centre_id,
                season_id,
                student_id,
                kind,
                status,
                student_id,  # the co-borrower (guardian id = student id)
                rng.choice(UNIVERSITIES),
                rng.choice(MAJORS),
                level,
                study_years,
                year - (rng.randint(1, 3) if kind == Service.RENEWAL else 0),
                rng.choice((3500, 4500, 5000, 6000)),
                rng.choice((800, 1000, 1200)),
                amount,
                rng.choice((15, 18, 20)),
                contract,
                accepted_by,
                kind == Service.FIRST_LOAN,
                groups,
                needs_window,
                rng.randint(2, 4) if kind == Service.RENEWAL else None,
                reviewed_at,
                created,
                accepted_at or submitted or created,
                submitted,
                accepted_at,
                desk_minutes,
            )
            # the booking: kept for an acceptance; ahead (or missed, or today) for one waiting
            booking = None
            if accepted_at is not None:
                booking = (day, half, AppointmentStatus.DONE, None)
            elif (kind == Service.FIRST_LOAN and status == ApplicationStatus.SUBMITTED) or (
                needs_window and status == ApplicationStatus.APPROVED
            ):
                roll = rng.random()
                if roll < 0.12 and open_days:
                    booking = (rng.choice(open_days[:-1] or open_days), None, AppointmentStatus.NO_SHOW, None)
                elif roll < 0.65 and future_days:
                    when = rng.choice(future_days)
                    if when == today:
                        state = (
                            AppointmentStatus.CHECKED_IN if rng.random() < 0.6 else AppointmentStatus.BOOKED
                        )
                    else:
                        state = AppointmentStatus.BOOKED
                    booking = (when, None, state, None)
            elif status == ApplicationStatus.CANCELLED and rng.random() < 0.5 and open_days:
                booking = (rng.choice(open_days), None, AppointmentStatus.CANCELLED, True)
            if booking is None:
                continue
            day, half, state, cancelled = booking
            half = half or rng.choice((HalfDay.MORNING, HalfDay.AFTERNOON))
            booked_at = datetime.combine(day, datetime.min.time()) - timedelta(
                days=rng.randint(1, 10), hours=2
            )
            booked_at = min(booked_at, self.now - timedelta(hours=1))
            appointment_id = self.next_id("appointment")
            self.t_appointment.add(
                appointment_id,
                centre_id,
                season_id,
                student_id,
                application_id,
                kind,
                day,
                half,
                f"P{appointment_id:010d}",
                state,
                booked_at,
                booked_at + timedelta(days=1) if cancelled else None,
            )
            if state in (AppointmentStatus.DONE, AppointmentStatus.CHECKED_IN):
                self.ticket(
                    centre_id,
                    appointment_id,
                    student_id,
                    kind,
                    day,
                    half,
                    state,
                    accepted_at,
                    desk_minutes,
                    desks,
                )
            if is_current:
                self.messages(centre_id, student_id, mobiles[n], booked_at, day, state)

    def ticket(
        self, centre_id, appointment_id, student_id, kind, day, half, state, accepted_at, desk_minutes, desks
    ):
        rng = self.rng
        stream = "A" if kind == Service.FIRST_LOAN else "B"
        key = (centre_id, day, stream)
        number = self.ticket_numbers[key] = self.ticket_numbers.get(key, 0) + 1
        if state == AppointmentStatus.DONE:
            wait = rng.randint(3, 60)
            finished = accepted_at
            called = finished - timedelta(minutes=desk_minutes)
            queued = called - timedelta(minutes=wait)
            self.t_ticket.add(
                self.next_id("ticket"), centre_id, day, stream, number, kind, appointment_id, student_id,
                TicketStatus.DONE, rng.randint(1, 6), queued, queued, called, wait, rng.choice(desks), called,
                finished,
            )  # fmt: skip
            return
        # checked in today: most wait, a few are at a window
        queued = min(utc_start_of(day) + timedelta(minutes=rng.randint(8 * 60 + 30, 16 * 60)), self.now)
        status = _pick(
            rng, [(TicketStatus.WAITING, 0.8), (TicketStatus.CALLED, 0.1), (TicketStatus.SERVING, 0.1)]
        )
        called = queued + timedelta(minutes=rng.randint(3, 40)) if status != TicketStatus.WAITING else None
        self.t_ticket.add(
            self.next_id("ticket"), centre_id, day, stream, number, kind, appointment_id, student_id, status,
            rng.randint(1, 6) if called else None, queued, queued, called,
            int((called - queued).total_seconds() // 60) if called else None, rng.choice(desks) if called else None,
            called if status == TicketStatus.SERVING else None, None,
        )  # fmt: skip

    def messages(self, centre_id, student_id, mobile, booked_at, day, state):
        """The booking's confirmation and, the day before, its reminder (or its cancellation)."""
        rng = self.rng
        sends = [(MessageTemplate.BOOKING_MADE, booked_at)]
        if state == AppointmentStatus.CANCELLED:
            sends.append((MessageTemplate.BOOKING_CANCELLED, booked_at + timedelta(days=1)))
        else:
            sends.append(
                (MessageTemplate.DAY_BEFORE, utc_start_of(day - timedelta(days=1)) + timedelta(hours=10))
            )
        for template, created in sends:
            if created > self.now:
                continue
            message_state = _pick(rng, MESSAGE_STATES)
            skip = ""
            if message_state == MessageState.SKIPPED:
                skip = SkipReason.REMINDERS_OFF
            sent = (
                created + timedelta(seconds=rng.randint(1, 30))
                if message_state == MessageState.SENT
                else None
            )
            self.t_message.add(
                centre_id, student_id, mobile, template, "zh_Hans", message_state, skip,
                "log" if message_state == MessageState.LOGGED else "aliyun",
                0 if message_state in (MessageState.SKIPPED, MessageState.QUEUED) else 1,
                "isv.BUSINESS_LIMIT_CONTROL" if message_state == MessageState.FAILED else "",
                created, created + timedelta(hours=8) if message_state == MessageState.QUEUED else None, sent,
            )  # fmt: skip


# --- loading --------------------------------------------------------------------------------


def load(app, sizes, province_user=True):
    """Generate and write the rows into the app's (migrated, empty) database; returns Loaded."""
    started = time.perf_counter()
    with app.app_context():
        database.connect(reuse_if_open=True)
        sqlite = is_sqlite()
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = OFF")
        with database.atomic():
            if not sqlite:
                # every reference is generated consistent: no trigger per row while loading
                database.execute_sql("SET LOCAL session_replication_role = replica")
                database.execute_sql("SET LOCAL synchronous_commit = off")
            loader = Loader()
            loaded = Generator(sizes, loader).generate(province_user)
            loaded.rows = loader.finish()
            if not sqlite:
                for model in loader.tables:
                    table = model._meta.table_name
                    database.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 (our names)
                        f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                    )
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = ON")
            database.execute_sql("ANALYZE")
        else:
            # as autovacuum would have left a live server: statistics and the visibility map;
            # and as a live server's checkpoints would have: the bulk load's pages written out,
            # not flushed in the middle of a measurement
            database.execute_sql("VACUUM (ANALYZE)")
            database.execute_sql("CHECKPOINT")
        database.close()
    loaded.seconds = time.perf_counter() - started
    return loaded
