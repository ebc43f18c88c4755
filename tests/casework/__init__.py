"""Tests: applications, the policy's rules, renewals and contract changes."""
