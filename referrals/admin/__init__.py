"""Admin pages of the referrals app, split by subject like views/ and services/: the review
side (reviews, the destination directory) and the letters side (referrals, letters, outbox,
deliveries). Django imports this package; importing the modules registers their pages."""

from referrals.admin import letters, review

__all__ = ["letters", "review"]
