"""A student's choices about text messages: the language they are written in (the one last
chosen in the app) and whether timed reminders are wanted. One-time codes and notices about the
student's own booking or renewal are always sent."""

from webapp.models import Student
from webapp.services.common import audit
from webapp.vocabulary import AuditAction


def set_language(student: Student, language: str) -> None:
    if student.language != language:
        student.language = language
        student.save(only=[Student.language])


def set_reminders(student: Student, wanted: bool) -> None:
    if student.reminders_off == (not wanted):
        return
    student.reminders_off = not wanted
    student.save(only=[Student.reminders_off])
    audit.record(AuditAction.STUDENT_REMINDERS, student, wanted=wanted)
