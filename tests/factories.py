"""One factory per model. Apps add theirs in their own section below."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from training.models import Behavior, Module, Procedure, Team
from training.roles import Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pt_BR")
    last_name = factory.Faker("last_name", locale="pt_BR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[Role(r).value for r in extracted]))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Equipe {n}")


# --- training: curriculum -------------------------------------------------------------


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    slug = factory.Sequence(lambda n: f"modulo-{n}")
    title = factory.Sequence(lambda n: f"Módulo {n}")
    summary = "Resumo do módulo."
    order = factory.Sequence(int)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"procedimento-{n}")
    title = factory.Sequence(lambda n: f"Procedimento {n}")
    order = factory.Sequence(int)
    guidance = "Informe ao cliente o **prazo**."


class BehaviorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Behavior

    procedure = factory.SubFactory(ProcedureFactory)
    code = factory.Sequence(lambda n: f"TESTE.COMPORTAMENTO_{n}")
    label = factory.Sequence(lambda n: f"Comportamento {n}")
    kind = Behavior.Kind.DISCLOSURE
    manual_quote = "Informe ao cliente."
