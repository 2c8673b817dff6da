"""Admin pages of the referrals app, split by subject like views/ and services/: the review
side (reviews, the destination directory), the letters side (referrals, letters, outbox,
deliveries) and the urgent side (red-flag alerts, contacts with patients). Django imports this
package; importing the modules registers their pages."""

from referrals.admin import letters, review, urgent

__all__ = ["letters", "review", "urgent"]
