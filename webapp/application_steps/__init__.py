"""The first-loan application's steps as pages, for the student's blueprint and the desk's."""
