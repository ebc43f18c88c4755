"""A student's loan in a season: the application and its steps, the policy's rules for a loan,
what counts as a loan, renewals, the student's record, papers, contract changes and the
acceptance certificate."""
