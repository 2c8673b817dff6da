"""State changes of the clinician's workspace: review.py (reviews, notes) and letters.py
(referrals, letters, outbox, deliveries). Views and tasks call these; nothing else writes."""
