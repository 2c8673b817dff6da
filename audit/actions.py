"""Every action the trail records: the stored string (never change one: rows keep it) and the
label readers see on the case page, in the admin and in the CSV export.

Shaped like the models' status choices (intake/models.py, referrals/models.py) because both are
TextChoices; the trail's vocabulary is its own and changes apart from any object's states.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # The front desk and the patient's form (intake).
    PATIENT_REGISTERED = "patient.registered", "Registered the patient"
    PATIENT_UPDATED = "patient.updated", "Corrected the patient's details"
    VISIT_CREATED = "intake.created", "Created the visit"
    LINK_CREATED = "invitation.created", "Created a link for the patient"
    LINK_REVOKED = "invitation.revoked", "Revoked the patient's link"
    LINK_EMAIL_FAILED = "invitation.email_failed", "Link e-mail failed"
    TABLET_STARTED = "invitation.tablet", "Started the form on the clinic tablet"
    SUBMITTED = "intake.submitted", "Patient submitted the history"
    REOPENED = "intake.reopened", "Reopened the history for the patient"
    IMPORTED = "intake.imported", "Imported a history"
    PRE_VISIT_REMINDED = "invitation.reminded", "Reminded the patient to fill in the form"
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
    RED_FLAG_ALERT_RAISED = "alert.raised", "Raised a red-flag alert for the on-call clinician"
    RED_FLAG_ALERT_SENT = "alert.sent", "Sent the red-flag alert to the on-call address"
    RED_FLAG_ALERT_ACKNOWLEDGED = "alert.acknowledged", "Acknowledged the red-flag alert"
    PATIENT_CONTACTED = "patient.contacted", "Recorded a contact with the patient"

    # Staff accounts (accounts).
    SIGNED_IN = "staff.signed_in", "Signed in with a password"
    SIGN_IN_FAILED = "staff.sign_in_failed", "Failed to sign in"
    SECOND_FACTOR_VERIFIED = "staff.second_factor_verified", "Verified the second factor"
    SECOND_FACTOR_FAILED = "staff.second_factor_failed", "Entered a wrong second-factor code"
    SECOND_FACTOR_ENROLLED = "staff.second_factor_enrolled", "Enrolled an authenticator app"
    SECOND_FACTOR_RESET = "staff.second_factor_reset", "Reset a staff member's second factor"
    PASSWORD_RESET_REQUESTED = "staff.password_reset_requested", "Asked for a password reset"
    PASSWORD_RESET_DONE = "staff.password_reset_done", "Chose a new password by reset link"
    STAFF_INVITED = "staff.invited", "Invited a staff member"
    STAFF_INVITATION_ACCEPTED = "staff.invitation_accepted", "Accepted a staff invitation"
    STAFF_DEACTIVATED = "staff.deactivated", "Deactivated a staff member"

    # The self-help loop: the handout sent to the patient, the follow-up check-in (referrals).
    HANDOUT_LINK_SENT = "handout.link_sent", "Sent the self-help handout to the patient"
    HANDOUT_OPENED = "handout.opened", "Patient opened the self-help handout"
    HANDOUT_DOWNLOADED = "handout.downloaded", "Patient downloaded the self-help handout"
    PATIENT_LINK_EMAIL_FAILED = "patient_link.email_failed", "Patient link e-mail failed"
    FOLLOW_UP_SCHEDULED = "follow_up.scheduled", "Scheduled the self-help follow-up"
    FOLLOW_UP_CANCELLED = "follow_up.cancelled", "Cancelled the self-help follow-up"
    FOLLOW_UP_LINK_SENT = "follow_up.link_sent", "Sent the follow-up form to the patient"
    FOLLOW_UP_REMINDED = "follow_up.reminded", "Reminded the patient of the follow-up form"
    FOLLOW_UP_OPENED = "follow_up.opened", "Patient opened the follow-up form"
    FOLLOW_UP_ANSWERED = "follow_up.answered", "Patient answered the follow-up"
    EPISODE_CLOSED = "follow_up.closed", "Closed the episode after the follow-up"
    FOLLOW_UP_REVIEWED = "follow_up.reviewed", "Reviewed the follow-up (referral already signed)"

    # The trail itself.
    AUDIT_EXPORTED = "audit.exported", "Exported the audit trail"
    ADMIN_VIEWED = "admin.viewed", "Opened a record in the admin"
