"""Every action has a label for readers, in one TextChoices."""

from __future__ import annotations

from audit.actions import AuditAction


def test_every_action_the_app_records_has_a_label_for_readers() -> None:
    labels = dict(AuditAction.choices)
    assert all(label != action for action, label in labels.items())
    assert all(label and label[0].isupper() for label in labels.values())
