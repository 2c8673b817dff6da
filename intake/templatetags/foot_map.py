"""The foot map's words, for templates/components/foot_map.html (no logic: constants only)."""

from __future__ import annotations

from django import template

from intake.questions import REGION_LABELS

register = template.Library()


@register.simple_tag
def foot_map_labels() -> dict[str, str]:
    """Region code -> the patient's wording, in the schema's order."""
    return REGION_LABELS
