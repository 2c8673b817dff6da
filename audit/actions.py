"""Every action the trail records: the stored string (never change one: rows keep it) and the
label readers see on the case page, in the admin and in the CSV export."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # The front desk and the patient's form (intake).
    PATIENT_REGISTERED = "patient.registered", "Registered the patient"
    VISIT_CREATED = "intake.created", "Created the visit"
    LINK_CREATED = "invitation.created", "Created a link for the patient"
    LINK_REVOKED = "invitation.revoked", "Revoked the patient's link"
    LINK_EMAIL_FAILED = "invitation.email_failed", "Link e-mail failed"
    TABLET_STARTED = "invitation.tablet", "Started the form on the clinic tablet"
    SUBMITTED = "intake.submitted", "Patient submitted the history"
    REOPENED = "intake.reopened", "Reopened the history for the patient"
    IMPORTED = "intake.imported", "Imported a history"
    LINK_OPENED = "invitation.opened", "A link was opened"
    LINK_REFUSED_TO_STAFF = (
        "invitation.refused_staff",
        "A link was opened by a signed-in staff browser",
    )
    BIRTH_DATE_CONFIRMED = "invitation.birth_date_confirmed", "Date of birth confirmed on the link"
    BIRTH_DATE_REFUSED = "invitation.birth_date_refused", "Wrong date of birth on the link"
    ANSWERS_VIEWED = "intake.answers_viewed", "The patient's form showed the answers for review"
    PATIENT_VIEWED = "patient.viewed", "Viewed the patient's page"
    PATIENTS_SEARCHED = "patients.searched", "Searched patients"

    # The clinician's review, referrals and letters (referrals).
    CASE_VIEWED = "case.viewed", "Viewed the case"
    QUEUE_VIEWED = "queue.viewed", "Viewed the review queue"
    CASE_LETTERS_VIEWED = "case.letters_viewed", "Viewed the case's referrals and letters"
    REFERRAL_VIEWED = "referral.viewed", "Viewed a referral"
    REVIEW_ACCEPTED = "review.accepted", "Accepted the triage"
    REVIEW_OVERRIDDEN = "review.overridden", "Overrode the triage"
    REVIEW_NOTE = "review.note", "Wrote clinical notes"
    REVIEW_REOPENED = "review.reopened", "Reopened the review"
    REFERRAL_CREATED = "referral.created", "Created a referral"
    REFERRAL_UPDATED = "referral.updated", "Edited a referral draft"
    REFERRAL_SIGNED = "referral.signed", "Signed a referral"
    REFERRAL_CORRECTED = "referral.corrected", "Corrected a signed referral"
    LETTER_PREVIEWED = "letter.previewed", "Previewed a letter"
    LETTER_DOWNLOADED = "letter.downloaded", "Downloaded a letter"
    LETTER_RETRIED = "letter.retried", "Retried a letter"
    LETTER_INTEGRITY_FAILED = "letter.integrity_failed", "Letter file failed its integrity check"
    LETTER_SENT = "letter.sent", "Sent a letter"
    HANDOUT_ISSUED = "handout.issued", "Issued the self-help handout"

    # The trail itself.
    AUDIT_EXPORTED = "audit.exported", "Exported the audit trail"
    ADMIN_VIEWED = "admin.viewed", "Opened a record in the admin"
