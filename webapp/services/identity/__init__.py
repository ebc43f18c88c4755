"""Who someone is: accounts and sign-up, passwords, one-time codes, sign-in sessions and the
throttle on failed sign-ins."""
