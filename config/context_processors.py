from django.conf import settings
from django.http import HttpRequest

from accounts.roles import is_clinician, is_front_desk


def clinic(request: HttpRequest) -> dict[str, object]:
    """The clinic's details appear on every page (patients' error pages too); the roles pick the
    navigation links."""
    user = getattr(request, "user", None)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_address": settings.CLINIC_ADDRESS,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "is_front_desk": bool(user) and is_front_desk(user),
        "is_clinician": bool(user) and is_clinician(user),
    }
