"""Text messages: asking for one (messages), the providers that carry them, the student's
preferences, and the queued task that delivers them (delivery)."""
