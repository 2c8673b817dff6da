"""Demo data of the referrals app: a directory of services, one per destination type, so a demo
letter is addressed to a named service. Loaded by `manage.py seed_demo` (DEBUG only)."""

from __future__ import annotations

from referrals.models import Destination, DestinationType

DEMO_DESTINATIONS = {
    DestinationType.URGENT: ("Riverside General Emergency Department", "ed", "020 7946 0999"),
    DestinationType.XRAY: ("Riverside Imaging", "imaging", "020 7946 0101"),
    DestinationType.SPINE_REVIEW: ("Riverside Spine Clinic", "spine", "020 7946 0202"),
    DestinationType.MEDICAL_REVIEW: ("Riverside Medical Practice", "gp", "020 7946 0303"),
    DestinationType.SURGERY_REVIEW: (
        "Foot and Ankle Surgery, Riverside General",
        "footankle",
        "020 7946 0404",
    ),
    DestinationType.INJECTION: (
        "Riverside Musculoskeletal Injection Clinic",
        "msk",
        "020 7946 0505",
    ),
    DestinationType.INSERTS: ("Riverside Podiatry and Orthotics", "podiatry", "020 7946 0606"),
}


def demo_destinations_seed() -> int:
    """Add the demo directory; a service already there (by name) is left as it is."""
    added = 0
    for destination_type, (name, mailbox, phone) in DEMO_DESTINATIONS.items():
        _, created = Destination.objects.get_or_create(
            name=name,
            defaults={
                "destination_type": destination_type,
                "address": "Riverside General Hospital\nHospital Lane\nRiverside RS1 3CD",
                "phone": phone,
                "email": f"{mailbox}@riverside.example.org",
            },
        )
        added += created
    return added
