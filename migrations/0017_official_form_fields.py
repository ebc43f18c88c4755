"""What the national family-hardship form and a county's application form ask that was not
collected: the student's and the family's particulars, the written hardship factors, the
co-borrower's employer and address, and a note beside each family member."""

from peewee import *

TEXT = ("disaster_note", "accident_note", "labour_note", "unemployment_note", "debt_note", "other_note",
        "aid_received", "application_reason")  # fmt: skip
STRINGS = {"ethnicity": 2, "political_status": 20, "hukou_type": 10, "high_school": 255, "specialty": 255,
           "home_address": 255, "postcode": 6, "family_phone": 20, "student_number": 30}  # fmt: skip
NUMBERS = ("household_size", "graduation_year")


def up(migrator, db):
    operations = [migrator.add_column("application", name, TextField(default="")) for name in TEXT]
    operations += [
        migrator.add_column("application", name, CharField(max_length=size, default=""))
        for name, size in STRINGS.items()
    ]
    operations += [migrator.add_column("application", name, IntegerField(null=True)) for name in NUMBERS]
    operations += [
        migrator.add_column("guardian", "employer", CharField(default="")),
        migrator.add_column("guardian", "address", CharField(default="")),
        migrator.add_column("family_member", "note", CharField(default="")),
    ]
    migrator.migrate(*operations)


def down(migrator, db):
    operations = [migrator.drop_column("application", name) for name in (*TEXT, *STRINGS, *NUMBERS)]
    operations += [
        migrator.drop_column("guardian", "employer"),
        migrator.drop_column("guardian", "address"),
        migrator.drop_column("family_member", "note"),
    ]
    migrator.migrate(*operations)
