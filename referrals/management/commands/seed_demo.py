"""The whole demo: staff, patients in every state (intake.demo) and a directory of services
(referrals.demo). It lives in referrals, the top floor, because it seeds both apps."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from intake.demo import demo_patients_seed, demo_staff_seed
from referrals.demo import demo_destinations_seed


class Command(BaseCommand):
    help = "Load the demo staff and patients (DEBUG only; safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has known passwords: it is only loaded when DEBUG is true."
            )
        logins = demo_staff_seed()
        added = demo_patients_seed()
        services = demo_destinations_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (DEBUG only):"))
        for login in logins:
            self.stdout.write(f"  {login.role:<14} {login.username:<11} {login.password}")
        self.stdout.write(f"Demo patients added: {added} (existing ones are left as they are).")
        self.stdout.write(f"Demo services added to the referral directory: {services}.")
