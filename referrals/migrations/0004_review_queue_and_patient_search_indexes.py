"""What the review dashboard needs at 100,000 intakes (measured with bench/dashboard.py).

- Backfill Intake.reviewed_at (intake 0004) from the existing reviews: the queue reads "awaiting
  review" from it.
- PostgreSQL indexes:
  - the queue: submitted intakes in queue order, with the id in the key and the visit date and
    patient included, so that a page (even a deep one, even filtered by disposition, red flags,
    visit dates or a broad search) is found by an index-only walk before its 25 rows are loaded;
  - the awaiting-review queue: the same for submitted intakes without a review. This partial
    index holds only the cases still waiting, so the queue's first page and its count read a few
    thousand index entries instead of anti-joining 100,000 wide intake rows with the reviews;
  - a search's intakes, by patient, with everything the queue filters and sorts on included, so
    that counting and ordering the cases of the matching patients never reads the wide rows;
  - search: a case-insensitive prefix of the patient's last name, first name or MRN, which the
    queue runs as UPPER(column::text) LIKE 'ABC%'. text_pattern_ops makes LIKE use the index
    whatever the database's collation.

The indexes are created here rather than in the intake models' Meta because they are
PostgreSQL syntax (operator classes) and serve this app's queries; SQLite (local development)
runs the same queries without them. Django's model state is unaffected, so makemigrations stays
clean.
"""

from django.db import migrations
from referrals.migrations._queue import postgres_indexes, review_copied_to_intake

INDEXES = {
    "review_queue_submitted": (
        "ON intake_intake (triage_priority, submitted_at, id) INCLUDE (visit_date, patient_id) "
        "WHERE status = 'submitted'"
    ),
    "review_queue_awaiting": (
        "ON intake_intake (triage_priority, submitted_at, id) INCLUDE (visit_date, patient_id) "
        "WHERE status = 'submitted' AND reviewed_at IS NULL"
    ),
    "review_queue_by_patient": (
        "ON intake_intake (patient_id) "
        "INCLUDE (triage_priority, submitted_at, visit_date, reviewed_at) "
        "WHERE status = 'submitted'"
    ),
    "patient_last_name_prefix": "ON intake_patient (UPPER(last_name::text) text_pattern_ops)",
    "patient_first_name_prefix": "ON intake_patient (UPPER(first_name::text) text_pattern_ops)",
    "patient_mrn_prefix": "ON intake_patient (UPPER(mrn::text) text_pattern_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_intake_reviewed_at"),
        ("referrals", "0003_referral_notes_and_one_handout_per_version"),
    ]

    operations = [
        review_copied_to_intake("reviewed_at", onto="reviewed_at"),
        postgres_indexes(INDEXES),
    ]
