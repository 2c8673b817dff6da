"""Selectors (reads) of the referrals app, split by subject: review (the queue, a case) and
letters (a case's referrals, letter contexts)."""
