"""Running a deployment: backups, readiness, demo data and the rotation of the ID-number key."""
