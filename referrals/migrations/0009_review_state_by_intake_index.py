"""The queue filtered by review state at 1,000,000 intakes (bench/dashboard.py).

"Red flags, sent" walks the queue's index in order and looks up each case's review; without this
index PostgreSQL hashed every review of that state instead (a sequential scan of the whole review
table, growing with it). With the state included next to intake_id, each lookup is an index-only
probe, and the page and the capped count stop as soon as they have their rows.

PostgreSQL only (INCLUDE), like 0004; SQLite runs the same queries without it.
"""

from django.db import migrations

from referrals.migrations._queue import postgres_indexes


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_follow_ups_and_patient_links")]

    operations = [
        postgres_indexes(
            {"review_state_by_intake": "ON referrals_casereview (intake_id) INCLUDE (state)"}
        )
    ]
