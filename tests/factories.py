"""Model factories with minimal valid defaults. Tests set only what their behaviour depends on."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import StaffProfile
from accounts.roles import CLINICIAN, FRONT_DESK
from intake.models import Intake, Patient, TriageRecord

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **_kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    role = factory.PostGeneration(lambda user, create, extracted, **_: _join(user, extracted))


def _join(user, group: str | None) -> None:
    if group:
        user.groups.add(Group.objects.get(name=group))


class FrontDeskFactory(UserFactory):
    role = factory.PostGeneration(lambda user, create, extracted, **_: _join(user, FRONT_DESK))


class ClinicianFactory(UserFactory):
    role = factory.PostGeneration(lambda user, create, extracted, **_: _join(user, CLINICIAN))
    first_name = "Dr Test"

    profile = factory.RelatedFactory(
        "tests.factories.StaffProfileFactory", factory_related_name="user"
    )


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    job_title = "Sports physician"
    registration_number = factory.Sequence(lambda n: f"GMC {7100000 + n}")


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"MRN{100000 + n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Runner{n}")
    date_of_birth = dt.date(1990, 5, 17)
    email = factory.LazyAttribute(lambda p: f"{p.last_name.lower()}@example.org")


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    patient = factory.SubFactory(PatientFactory)
    visit_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))


class TriageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriageRecord

    intake = factory.SubFactory(IntakeFactory)
    rules_version = "1"
    disposition = "self_help"
    actions = factory.LazyFunction(lambda: ["self_help"])
