"""Forms of the referrals app, split by subject: review (queue filters, decisions, notes) and
letters (drafts, signing)."""
