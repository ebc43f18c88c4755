"""The one bulk insert (rosters, national lists, sync): dicts or model instances in, the
database's defaults and field conversions applied, new ids read back, on both databases."""

from tests.factories import make_centre, make_school
from webapp.db import database
from webapp.models import RosterEntry, RosterImport, School, bulk_insert


def test_bulk_insert_stores_rows_and_returns_what_was_asked(app):
    centre = make_centre()
    school = make_school(centre)
    created = bulk_insert(
        School,
        [dict(centre=centre, name=f"第{n}中学", kind="general") for n in range(3)]
        + [School(centre=centre, name="职业中学", kind="vocational")],
        returning=(School.name, School.id),
    )
    assert [name for name, _ in created] == ["第0中学", "第1中学", "第2中学", "职业中学"]
    assert {school_id for _, school_id in created} == {
        s.id for s in School.select().where(School.id != school.id)
    }
    assert bulk_insert(School, []) == []


def test_bulk_insert_applies_each_fields_conversion(app):
    centre = make_centre()
    school = make_school(centre)
    roster = RosterImport.create(centre=centre, school=school, filename="r.csv", rows=1)
    number = "140623200701010018"
    bulk_insert(
        RosterEntry,
        [
            dict(
                centre=centre,
                school=school,
                roster_import=roster,
                name="李四",
                id_number=number,
                id_number_index=number,
            )
        ],
    )
    entry = RosterEntry.get()
    assert entry.id_number == number and entry.class_name == ""  # read back, default applied
    assert RosterEntry.get_or_none(RosterEntry.id_number_index == number) == entry
    (stored,) = database.execute_sql("SELECT id_number FROM roster_entry").fetchone()
    assert number not in str(stored)  # encrypted at rest, as a single save would store it
