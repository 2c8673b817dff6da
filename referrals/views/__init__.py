"""Views of the clinician's workspace: review.py (queue, case, review), letters.py (referrals,
letters, downloads)."""
