"""One factory per model. Apps add theirs in their own section below."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from certification.models import Certification, CertificationPolicy
from quizzes.models import Attempt, AttemptItem, Question, Quiz, QuizSlot
from training.models import Behavior, Judgement, Module, Procedure, ProcedureRead, Team
from training.roles import Role, install_role_groups

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
            names = {Role(r).value for r in extracted}
            groups = list(Group.objects.filter(name__in=names))
            if len(groups) < len(names):
                # A transactional test before this one flushed the groups the data migration
                # made; make them again, each with its permission.
                install_role_groups()
                groups = list(Group.objects.filter(name__in=names))
            self.groups.add(*groups)


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


# --- certification ----------------------------------------------------------------------


class CertificationPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationPolicy
        django_get_or_create = ["module"]

    module = factory.SubFactory(ModuleFactory)


class CertificationFactory(factory.django.DjangoModelFactory):
    """A valid certificate awarded ten days ago, unless told otherwise."""

    class Meta:
        model = Certification

    trainee = factory.SubFactory(UserFactory, roles=[Role.TRAINEE])
    module = factory.SubFactory(ModuleFactory)
    awarded_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    expires_at = factory.LazyAttribute(lambda c: c.awarded_at + timedelta(days=365))
    content_version = factory.LazyAttribute(lambda c: c.module.version)
    code = factory.Sequence(lambda n: f"code{n:020d}")
    evidence_key = factory.Sequence(lambda n: f"evidence-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """As the award does: the latest certificate of the trainee's module is the current
        one (whatever order the test creates them in)."""
        certification = super()._create(model_class, *args, is_current=False, **kwargs)
        mine = model_class.objects.filter(
            trainee=certification.trainee, module=certification.module
        )
        latest = mine.order_by("-awarded_at", "-pk").first()
        mine.exclude(pk=latest.pk).update(is_current=False)
        mine.filter(pk=latest.pk).update(is_current=True)
        certification.is_current = certification.pk == latest.pk
        return certification


class ProcedureReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureRead

    trainee = factory.SubFactory(UserFactory, roles=[Role.TRAINEE])
    procedure = factory.SubFactory(ProcedureFactory)


# --- quizzes ----------------------------------------------------------------------------


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question whose first option is right, unless given another spec."""

    class Meta:
        model = Question

    procedure = factory.SubFactory(ProcedureFactory)
    key = factory.Sequence(lambda n: f"pergunta-{n}")
    kind = "single"
    stem = factory.Sequence(lambda n: f"Pergunta {n}: qual é o prazo?")
    spec = factory.LazyFunction(
        lambda: {
            "options": [
                {"text": "Até 2 dias úteis", "correct": True},
                {"text": "Até 3 dias corridos"},
                {"text": "Até 4 dias úteis"},
            ]
        }
    )
    explanation = "O manual define o prazo."
    manual_quote = "até 2 dias úteis"


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    pass_mark = 70


class QuizSlotFactory(factory.django.DjangoModelFactory):
    """A fixed question; pass ``question=None, procedure=...`` for a draw from a pool."""

    class Meta:
        model = QuizSlot

    quiz = factory.SubFactory(QuizFactory)
    order = factory.Sequence(int)
    question = factory.SubFactory(
        QuestionFactory, procedure__module=factory.SelfAttribute("...quiz.module")
    )
    procedure = None


class AttemptFactory(factory.django.DjangoModelFactory):
    """A bare attempt row; tests that need a served paper use ``services.attempt_start``."""

    class Meta:
        model = Attempt

    quiz = factory.SubFactory(QuizFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.TRAINEE])
    number = factory.Sequence(lambda n: n + 1)
    seed = 1
    quiz_version = 1
    module_version = 1
    paper = factory.LazyFunction(lambda: {"quiz": {"pass_mark": 70}, "questions": []})
    started_at = factory.LazyFunction(timezone.now)


class AttemptItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttemptItem

    attempt = factory.SubFactory(AttemptFactory)
    position = factory.Sequence(int)


class QuizJudgementFactory(factory.django.DjangoModelFactory):
    """A ledger row judged by a graded quiz attempt (made with it unless one is given)."""

    class Meta:
        model = Judgement

    class Params:
        attempt = factory.SubFactory(
            AttemptFactory,
            status=Attempt.Status.SUBMITTED,
            score=100,
            passed=True,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        hit = True

    trainee = factory.SelfAttribute("attempt.user")
    behavior = factory.SubFactory(BehaviorFactory)
    module = factory.SelfAttribute("attempt.quiz.module")
    source = Judgement.Source.QUIZ
    record = factory.SelfAttribute("attempt.pk")
    verdict = factory.LazyAttribute(
        lambda o: Judgement.Verdict.KEPT if o.hit else Judgement.Verdict.MISSED
    )
    content_version = 1
    seed = 1
    judged_at = factory.LazyFunction(timezone.now)


# --- scenarios --------------------------------------------------------------------------

# Imported here so this section stays a plain append.
from scenarios.models import Run, Scenario, ScenarioVersion, Turn  # noqa: E402

# The smallest playable call: one choice from the opening to an end step.
SIMPLE_CALL = {
    "persona": {"names": ["Ana Souza"], "mood": "calma", "segment": "residencial"},
    "steps": [
        {
            "id": "abertura",
            "customer": "Olá.",
            "choices": [
                {"id": "cumprimentar", "say": "Olá, {customer_first_name}!", "next": "fim"}
            ],
        },
        {"id": "fim", "customer": "Tchau.", "outcome": "Encerrada."},
    ],
    "rubric": {
        "items": [{"id": "nome", "section": "rapport", "kind": "required", "behavior": "BEH-NOME"}]
    },
}


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"ligacao-{n}")
    title = factory.Sequence(lambda n: f"Ligação {n}")
    summary = "Uma ligação de treino."
    order = factory.Sequence(int)
    version = 1


class ScenarioVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScenarioVersion

    scenario = factory.SubFactory(ScenarioFactory)
    number = factory.SelfAttribute("scenario.version")
    definition = factory.LazyFunction(lambda: SIMPLE_CALL)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")


class RunFactory(factory.django.DjangoModelFactory):
    """A bare run row; tests that play a call use ``scenarios.services.run_start``."""

    class Meta:
        model = Run

    version = factory.SubFactory(ScenarioVersionFactory)
    scenario = factory.SelfAttribute("version.scenario")
    user = factory.SubFactory(UserFactory, roles=[Role.TRAINEE])
    seed = 1
    facts = factory.LazyFunction(lambda: {"customer_name": "Ana Souza"})
    current_step = "abertura"


class TurnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Turn

    run = factory.SubFactory(RunFactory)
    index = factory.Sequence(lambda n: n + 1)
    step_id = "abertura"
    choice_id = "cumprimentar"
    said = "Olá, Ana!"
    behaviors = factory.LazyFunction(lambda: ["BEH-NOME"])
    next_step = "fim"


class CallJudgementFactory(factory.django.DjangoModelFactory):
    """A ledger row judged by a graded, counted call run (made with it unless one is given)."""

    class Meta:
        model = Judgement

    class Params:
        run = factory.SubFactory(
            RunFactory,
            status=Run.Status.COMPLETED,
            finished_at=factory.LazyFunction(timezone.now),
            passed=True,
        )
        hit = True

    trainee = factory.SelfAttribute("run.user")
    behavior = factory.SubFactory(BehaviorFactory)
    module = factory.SelfAttribute("run.scenario.module")
    source = Judgement.Source.CALL
    record = factory.SelfAttribute("run.pk")
    verdict = factory.LazyAttribute(
        lambda o: Judgement.Verdict.KEPT if o.hit else Judgement.Verdict.MISSED
    )
    content_version = 1
    seed = 1
    judged_at = factory.LazyFunction(timezone.now)
