"""What every domain stands on: rule errors, the audit log's writer, resident ID numbers (their
checks and masks) and mobile numbers, and the table files (XLSX, CSV) lists
arrive in. Imports no other service package."""
