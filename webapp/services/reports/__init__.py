"""What the centre reads back: the dashboard and its charts, exports, and the audit trail."""
