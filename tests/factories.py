"""factory-boy factories shared by every app's tests."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from bouwplaats.accounts.models import Organisation, OrganisationMembership, User
from bouwplaats.programmes.models import Programme, ProgrammeMembership, Theme

PASSWORD = "Bouwplaats-test-2026!"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Gemeente Teststad {n}")
    kind = Organisation.Kind.GEMEENTE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lid{n}@example.nl")
    full_name = factory.Faker("name", locale="nl_NL")
    function = "Programmamanager"
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    """An approved membership unless ``status`` says otherwise."""

    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda m: m.user.organisation)
    status = OrganisationMembership.Status.APPROVED
    role = OrganisationMembership.Role.MEMBER


class PlannerFactory(UserFactory):
    """A member with an approved (verified) membership of their ``organisation``.

    ``membership_role="admin"`` makes them the organisation's administrator.
    """

    @factory.post_generation
    def membership_role(self, create, extracted, **kwargs):
        if create and self.organisation_id:
            OrganisationMembership.objects.update_or_create(
                user=self,
                organisation=self.organisation,
                defaults={
                    "status": OrganisationMembership.Status.APPROVED,
                    "role": extracted or OrganisationMembership.Role.MEMBER,
                },
            )


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programma {n}")
    slug = factory.Sequence(lambda n: f"programma-{n}")
    summary = "Een programma om samen van te leren."
    description = "Beschrijving van het **programma**."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = ProgrammeMembership.Role.PROGRAMMAMANAGER


class SessionFactory(factory.django.DjangoModelFactory):
    """A published bouwsessie a week from now, two hours long, unlimited capacity."""

    class Meta:
        model = "events.Session"

    programme = factory.SubFactory(ProgrammeFactory)
    type = "bouwsessie"
    title = factory.Sequence(lambda n: f"Bouwsessie {n}: door ná 2017")
    intro = "Welke waardevolle lessen willen we verankeren?"
    goal = "Elkaar inspireren over de verankering."
    criteria = factory.LazyFunction(lambda: ["Je bent programmamanager van een regio"])
    host = factory.SubFactory(UserFactory)
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    location = "Utrecht"
    status = "published"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Registration"
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(UserFactory)
    status = "confirmed"

    @factory.post_generation
    def seats_confirmed(obj, create, extracted, **kwargs):
        # Rows made here bypass the services, which keep the session's seat count.
        if create:
            from bouwplaats.events.services.registrations import _recount_seats

            _recount_seats(obj.session)
            obj.session.refresh_from_db(fields=["seats_confirmed"])
