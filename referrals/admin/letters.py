"""Admin pages of referrals, letters, the outbox and deliveries: read-only views for operators
(what failed and why, what waits for the broker). Every change goes through the services, so
the admin offers one action, re-queueing failed letters, which calls `letter_retry`.

The destination directory (referrals.models.Destination) is registered in referrals/admin/review.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from audit.admin import ClinicalRecordAdmin, ReadOnlyAdmin
from referrals.models import Delivery, Letter, OutboxMessage, Referral
from referrals.services.letters import LetterError, letter_retry


@admin.register(Referral)
class ReferralAdmin(ClinicalRecordAdmin):
    list_display = ("id", "intake_id", "destination_type", "version", "status", "signed_at")
    list_filter = ("status", "destination_type")
    search_fields = ("=id", "=intake__id")
    show_full_result_count = False


@admin.register(Letter)
class LetterAdmin(ClinicalRecordAdmin):
    list_display = ("id", "kind", "intake_id", "referral_id", "version", "status", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("=id", "=intake__id", "=referral__id")
    exclude = ("file_name",)  # where the PDF lives is nobody's business but the download view's
    actions = ["queue_again"]
    show_full_result_count = False

    @admin.action(description="Queue the selected failed letters again")
    def queue_again(self, request: HttpRequest, queryset: QuerySet[Letter]) -> None:
        queued = 0
        for letter in queryset.filter(status=Letter.Status.FAILED):
            try:
                letter_retry(letter=letter, user=request.user)
            except LetterError:
                continue  # changed state meanwhile
            queued += 1
        self.message_user(request, f"{queued} letter(s) queued again.", messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "topic", "object_id", "created_at", "published_at", "publish_attempts")
    list_filter = ("topic", ("published_at", admin.EmptyFieldListFilter))
    show_full_result_count = False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "letter_id", "channel", "recipient", "status", "sent_at")
    list_filter = ("status", "channel")
    show_full_result_count = False
