"""The queue filtered by review state or by visit dates at 1,000,000 intakes (bench/dashboard.py).

- Backfill Intake.review_state (intake 0008) from the reviews: the queue filters on it.
- PostgreSQL indexes:
  - review_queue_by_state: submitted intakes by review state, then in queue order, so that
    "red flags, sent" is one index range read in order (its page and its capped count stop as
    soon as they have their rows) instead of a join with every review in that state;
  - review_queue_by_visit: submitted intakes by disposition priority and visit date, so that a
    disposition's cases in a visit window are one index range (the queue sorts them; see
    referrals.selectors.review._window_sorted). Walking the queue order instead reads every older
    case first: recent visits were submitted last.
- review_state_by_intake (0009) served the join with the reviews that the state filter no
  longer makes: dropped.

PostgreSQL only (INCLUDE, partial indexes), like 0004; SQLite runs the same queries without them.
The indexes are built CONCURRENTLY (so the migration is not atomic): at a million intakes a plain
CREATE INDEX would hold the intake table's writes for the minutes it takes, and patients would
see their answers refused while a clinic upgrades.
"""

from django.db import migrations
from referrals.migrations._queue import postgres_indexes, review_copied_to_intake

INDEXES = {
    "review_queue_by_state": (
        "ON intake_intake (review_state, triage_priority, submitted_at, id) "
        "INCLUDE (visit_date, patient_id) WHERE status = 'submitted'"
    ),
    "review_queue_by_visit": (
        "ON intake_intake (triage_priority, visit_date) INCLUDE (submitted_at, id) "
        "WHERE status = 'submitted'"
    ),
}
DROPPED = {"review_state_by_intake": "ON referrals_casereview (intake_id) INCLUDE (state)"}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("intake", "0008_intake_review_state"),
        ("referrals", "0009_review_state_by_intake_index"),
    ]

    operations = [
        review_copied_to_intake("state", onto="review_state"),
        postgres_indexes(INDEXES, drop=DROPPED, concurrently=True),
    ]
