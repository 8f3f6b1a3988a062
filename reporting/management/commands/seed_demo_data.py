"""Seed a realistic synthetic history for demos and benchmarks: teams, trainees and managers,
quiz attempts with answers, simulated calls with transcripts, behaviour outcomes and certificates
(valid, expiring, expired, revoked), written with ``bulk_create`` in batches.

Idempotent per prefix: trainees are named ``<prefix>-agente-00001``...; a second run with the same
prefix finds them and adds nothing. Use another ``--prefix`` to add a second population.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from certification.models import Certification
from certification.services import certification_policies_ensure, new_verification_code
from quizzes.models import Attempt, AttemptItem, Question, Quiz
from reporting.services import behavior_tallies_refresh, module_activity_rebuild
from scenarios.models import Run, Scenario, ScenarioVersion, Turn
from training.models import Behavior, Judgement, Module, Team
from training.roles import Role

FIRST_NAMES = [
    "Ana",
    "Beatriz",
    "Carla",
    "Daniela",
    "Eduarda",
    "Fernanda",
    "Gabriela",
    "Helena",
    "Isabela",
    "Juliana",
    "Larissa",
    "Mariana",
    "Natália",
    "Patrícia",
    "Rafaela",
    "Sabrina",
    "Tatiane",
    "Vanessa",
    "Bruno",
    "Carlos",
    "Diego",
    "Eduardo",
    "Felipe",
    "Gustavo",
    "Henrique",
    "Igor",
    "João",
    "Lucas",
    "Marcelo",
    "Nicolas",
    "Otávio",
    "Paulo",
    "Rafael",
    "Samuel",
    "Thiago",
    "Vinícius",
]
LAST_NAMES = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
]
DEMO_PASSWORD = "trilha-demo"
HISTORY_DAYS = 560
BATCH = 2000
TRAINEES_PER_CHUNK = 250


class Progress:
    """A plain-text progress bar on stderr: no dependency, redrawn at most once a percent."""

    def __init__(self, label: str, total: int, stream, width: int = 30) -> None:
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream  # the command's stderr
        self.done, self.shown, self.started = 0, -1, time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        percent = min(100, 100 * self.done // self.total)
        if percent != self.shown:
            self.shown = percent
            filled = self.width * percent // 100
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(
                f"\r{self.label:<12} [{bar}] {percent:3d}% {self.done}/{self.total}", ending=""
            )
            self.stream.flush()

    def finish(self) -> None:
        self.stream.write(f"  {time.monotonic() - self.started:.1f}s")


@contextmanager
def historical_timestamps(*fields):
    """Let bulk_create keep the past dates we give instead of stamping "now" on them."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


@dataclass
class ModuleContent:
    module: Module
    quizzes: list[Quiz]
    questions: list[dict]  # {"id", "kind", "options": [{"text", "correct"}]}
    scenarios: list[tuple[Scenario, ScenarioVersion]]
    behaviors: list[int]
    # How hard each behaviour is: a few are missed often, as in a real contact centre.
    difficulty: dict[int, float] = field(default_factory=dict)
    violations: set[int] = field(default_factory=set)


class Command(BaseCommand):
    help = "Seed synthetic teams, trainees, attempts, calls and certificates (bulk, batched)."

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=200)
        parser.add_argument("--teams", type=int, default=4)
        parser.add_argument("--attempts-per-trainee", type=int, default=20)
        parser.add_argument("--runs-per-trainee", type=int, default=10)
        parser.add_argument("--prefix", default="demo")
        parser.add_argument("--seed", type=int, default=20260601)
        parser.add_argument(
            "--fill-missing-content",
            action="store_true",
            help="Give modules without a quiz or call a placeholder one (benchmarks only).",
        )

    def handle(self, *args, **options):
        trainees, teams = options["trainees"], options["teams"]
        if trainees < 1 or teams < 1 or teams > trainees:
            raise CommandError("Need at least one trainee per team.")
        prefix = options["prefix"]
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        User = get_user_model()
        if User.objects.filter(username__startswith=f"{prefix}-agente-").exists():
            self.stdout.write(
                f"Demo trainees with prefix {prefix!r} already exist; nothing added "
                "(use --prefix to add another population)."
            )
            return
        if options["fill_missing_content"]:
            self.fill_missing_content()
        certification_policies_ensure()
        content = self.read_content()
        if not any(c.quizzes or c.scenarios for c in content):
            raise CommandError(
                "No quiz or call to take: load the pack first (manage.py load_curriculum) "
                "or pass --fill-missing-content."
            )
        users = self.create_people(prefix, trainees, teams)
        self.create_history(
            users, content, options["attempts_per_trainee"], options["runs_per_trainee"]
        )
        # Bulk rows bypass the grading services, which keep the reporting rollups current.
        started = time.monotonic()
        module_activity_rebuild()
        behavior_tallies_refresh()
        self.stderr.write(f"Rollups      recounted in {time.monotonic() - started:.1f}s")
        # A bulk load leaves the query planner's statistics describing empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(self.summary(prefix)))

    # --- content ---------------------------------------------------------------------------

    @transaction.atomic
    def fill_missing_content(self) -> None:
        for module in Module.objects.prefetch_related("procedures__behaviors"):
            procedures = list(module.procedures.all())
            if not procedures:
                continue
            if not Quiz.objects.filter(module=module, is_published=True).exists():
                quiz = Quiz.objects.create(
                    module=module, slug=f"demo-{module.slug}", title=f"{module.title} (demo)"
                )
                for n, procedure in enumerate(procedures[:5]):
                    question = Question.objects.create(
                        procedure=procedure,
                        key=f"demo-{module.slug}-{n}",
                        kind="single",
                        stem=f"O que o manual pede em “{procedure.title}”?",
                        spec={
                            "options": [
                                {"text": "O que o procedimento determina", "correct": True},
                                {"text": "Resolver sem informar o cliente"},
                                {"text": "Transferir a ligação"},
                            ]
                        },
                        explanation="Siga o procedimento.",
                        manual_quote=procedure.title,
                    )
                    question.behaviors.set(procedure.behaviors.all()[:2])
                    quiz.slots.create(order=n, question=question)
            if not Scenario.objects.filter(module=module, is_active=True).exists():
                scenario = Scenario.objects.create(
                    module=module, slug=f"demo-{module.slug}", title=f"{module.title} (demo)"
                )
                ScenarioVersion.objects.create(
                    scenario=scenario,
                    number=1,
                    definition=_placeholder_call(),
                    content_hash=hashlib.sha256(module.slug.encode()).hexdigest(),
                )

    def read_content(self) -> list[ModuleContent]:
        quizzes = defaultdict(list)
        for quiz in Quiz.objects.published().order_by("slug"):
            quizzes[quiz.module_id].append(quiz)
        questions = defaultdict(list)
        for question in Question.objects.active().select_related("procedure"):
            options = question.spec.get("options") or []
            questions[question.procedure.module_id].append(
                {
                    "id": question.pk,
                    "kind": question.kind,
                    "options": [
                        {"text": o["text"], "correct": bool(o.get("correct"))} for o in options
                    ],
                }
            )
        versions = defaultdict(list)
        for version in (
            ScenarioVersion.objects.current()
            .filter(scenario__is_active=True)
            .select_related("scenario")
        ):
            versions[version.scenario.module_id].append((version.scenario, version))
        behaviors = defaultdict(list)
        violations = set()
        for pk, module_id, kind in Behavior.objects.values_list(
            "pk", "procedure__module_id", "kind"
        ):
            behaviors[module_id].append(pk)
            if kind == Behavior.Kind.VIOLATION:
                violations.add(pk)
        content = []
        for module in Module.objects.order_by("order", "slug"):
            item = ModuleContent(
                module,
                quizzes[module.pk],
                questions[module.pk],
                versions[module.pk],
                behaviors[module.pk],
            )
            item.difficulty = {
                b: self.rng.choice((0.05, 0.1, 0.15, 0.3, 0.5)) for b in item.behaviors
            }
            item.violations = violations & set(item.behaviors)
            content.append(item)
        return content

    # --- people ----------------------------------------------------------------------------

    @transaction.atomic
    def create_people(self, prefix: str, trainees: int, teams: int) -> list:
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: thousands of users, one hash
        team_rows = Team.objects.bulk_create(
            [Team(name=f"{prefix.title()} {n + 1:02d}") for n in range(teams)],
            ignore_conflicts=True,
        )
        team_rows = list(Team.objects.filter(name__in=[t.name for t in team_rows]).order_by("name"))
        progress = Progress("Trainees", trainees, self.stderr)
        users = []
        for start in range(0, trainees, BATCH):
            batch = [
                User(
                    username=f"{prefix}-agente-{n + 1:05d}",
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=f"{self.rng.choice(LAST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                    email=f"{prefix}-agente-{n + 1:05d}@example.com",
                    password=password,
                )
                for n in range(start, min(start + BATCH, trainees))
            ]
            users += User.objects.bulk_create(batch)
            progress.advance(len(batch))
        progress.finish()
        managers = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}-gestor-{n + 1:02d}",
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=self.rng.choice(LAST_NAMES),
                    password=password,
                )
                for n in range(teams)
            ]
        )
        groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
        UserGroups = User.groups.through
        UserGroups.objects.bulk_create(
            [UserGroups(user_id=u.pk, group_id=groups[Role.TRAINEE].pk) for u in users]
            + [UserGroups(user_id=m.pk, group_id=groups[Role.MANAGER].pk) for m in managers],
            batch_size=BATCH,
        )
        Members, Managers = Team.members.through, Team.managers.through
        Members.objects.bulk_create(
            [Members(team_id=team_rows[i % teams].pk, user_id=u.pk) for i, u in enumerate(users)],
            batch_size=BATCH,
        )
        Managers.objects.bulk_create(
            [Managers(team_id=t.pk, user_id=m.pk) for t, m in zip(team_rows, managers, strict=True)]
        )
        return users

    # --- history ---------------------------------------------------------------------------

    def create_history(self, users, content, attempts_each: int, runs_each: int) -> None:
        progress = Progress("History", len(users), self.stderr)
        with historical_timestamps(
            Run._meta.get_field("started_at"), Turn._meta.get_field("created_at")
        ):
            for start in range(0, len(users), TRAINEES_PER_CHUNK):
                chunk = users[start : start + TRAINEES_PER_CHUNK]
                with transaction.atomic():
                    self.write_chunk(chunk, content, attempts_each, runs_each)
                progress.advance(len(chunk))
        progress.finish()

    def write_chunk(self, users, content, attempts_each: int, runs_each: int) -> None:
        rng = self.rng
        attempts, items, quiz_outcomes = [], [], []
        runs, turns, call_outcomes = [], [], []
        # (user, module) -> what proves the module: best passing attempt per quiz, run per call
        proof: dict[tuple[int, int], dict] = {}
        for user in users:
            skill = min(0.97, max(0.35, rng.gauss(0.72, 0.15)))
            # Each trainee trains for a few weeks or months at some point of the history, so
            # certificates come out valid, expiring soon and long expired.
            clock = self.now - timedelta(days=rng.uniform(15, HISTORY_DAYS))
            span = min(self.now - clock, timedelta(days=rng.uniform(30, 120)))
            step = span / (attempts_each + runs_each + 1)
            numbers: dict[int, int] = defaultdict(int)
            modules = [c for c in content if c.quizzes or c.scenarios]
            # Trainees follow different tracks (sales, billing, support...): each starts the
            # course at its own module, so every module has trainees far along in it.
            start = rng.randrange(len(modules)) if modules else 0
            modules = modules[start:] + modules[:start]
            for kind, item in self.course(modules, attempts_each, runs_each):
                clock += step * rng.uniform(0.5, 1.5)
                at = min(clock, self.now - timedelta(minutes=5))
                if kind == "quiz":
                    quiz, module = item
                    numbers[quiz.pk] += 1
                    attempt, answers, outcomes = self.attempt(
                        user, quiz, module, numbers[quiz.pk], skill, at
                    )
                    attempts.append(attempt)
                    items.append(answers)
                    quiz_outcomes.append(outcomes)
                    passed = attempt.passed
                    key = ("quiz", quiz.pk)
                    record = attempt
                else:
                    (scenario, version), module = item
                    run, transcript, outcomes = self.run(user, scenario, version, module, skill, at)
                    runs.append(run)
                    turns.append(transcript)
                    call_outcomes.append(outcomes)
                    passed = run.passed
                    key = ("call", scenario.pk)
                    record = run
                if passed:
                    proof.setdefault((user.pk, module.module.pk), {}).setdefault(key, (record, at))
                self.passed = passed

        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        for attempt, answers, outcomes in zip(attempts, items, quiz_outcomes, strict=True):
            for row in answers:
                row.attempt_id = attempt.pk
            for row in outcomes:
                row.record = attempt.pk
        AttemptItem.objects.bulk_create([r for rows in items for r in rows], batch_size=BATCH)
        Run.objects.bulk_create(runs, batch_size=BATCH)
        for run, transcript, outcomes in zip(runs, turns, call_outcomes, strict=True):
            for row in transcript:
                row.run_id = run.pk
            for row in outcomes:
                row.record = run.pk
        Turn.objects.bulk_create([r for rows in turns for r in rows], batch_size=BATCH)
        Judgement.objects.bulk_create(
            [r for rows in (*quiz_outcomes, *call_outcomes) for r in rows], batch_size=BATCH
        )
        self.certify(proof, content)

    def course(self, modules: list[ModuleContent], attempts_each: int, runs_each: int):
        """The trainee's path: module by module, each quiz until passed (three tries at most),
        then each call until passed (two tries), while their budget lasts; what is left goes
        to retakes of what they reached. Reads ``self.passed`` after each step it yields."""
        quizzes_left, runs_left = attempts_each, runs_each
        reached_quizzes, reached_calls = [], []
        for module in modules:
            if not (quizzes_left or runs_left):
                break
            for quiz in module.quizzes:
                reached_quizzes.append((quiz, module))
                for _ in range(3):
                    if not quizzes_left:
                        break
                    quizzes_left -= 1
                    yield "quiz", (quiz, module)
                    if self.passed:
                        break
            for call in module.scenarios:
                reached_calls.append((call, module))
                for _ in range(2):
                    if not runs_left:
                        break
                    runs_left -= 1
                    yield "call", (call, module)
                    if self.passed:
                        break
        for _ in range(quizzes_left if reached_quizzes else 0):
            yield "quiz", self.rng.choice(reached_quizzes)
        for _ in range(runs_left if reached_calls else 0):
            yield "call", self.rng.choice(reached_calls)

    def attempt(self, user, quiz, module: ModuleContent, number, skill, at):
        rng = self.rng
        chosen = rng.sample(module.questions, min(5, len(module.questions)))
        paper_questions, answers = [], []
        earned = 0
        for position, question in enumerate(chosen):
            options = list(question["options"])
            rng.shuffle(options)
            right = rng.random() < skill
            response = None
            if question["kind"] in {"single", "multiple"} and options:
                good = [i for i, o in enumerate(options) if o["correct"]] or [0]
                bad = [i for i, o in enumerate(options) if not o["correct"]] or good
                pick = rng.choice(good if right else bad)
                response = pick if question["kind"] == "single" else [pick]
            elif question["kind"] == "true_false":
                response = right
            earned += right
            paper_questions.append(
                {
                    "position": position,
                    "question_id": question["id"],
                    "kind": question["kind"],
                    "options": options,
                }
            )
            answers.append(
                AttemptItem(
                    position=position,
                    question_id=question["id"],
                    response=response,
                    saved_at=at,
                    score=Decimal(1 if right else 0),
                    correct=right,
                )
            )
        score = (
            Decimal(100 * earned / len(chosen)).quantize(Decimal("0.01"))
            if chosen
            else Decimal(round(100 * min(1, rng.gauss(skill, 0.15)), 2)).quantize(Decimal("0.01"))
        )
        score = max(Decimal(0), min(Decimal(100), score))
        attempt = Attempt(
            quiz=quiz,
            user_id=user.pk,
            number=number,
            status=Attempt.Status.SUBMITTED,
            seed=rng.getrandbits(48),
            quiz_version=quiz.version,
            module_version=module.module.version,
            paper={
                "quiz": {"id": quiz.pk, "pass_mark": quiz.pass_mark},
                "questions": paper_questions,
            },
            started_at=at - timedelta(minutes=rng.randint(4, 25)),
            submitted_at=at,
            score=score,
            passed=score >= quiz.pass_mark,
        )
        outcomes = self.outcomes(Judgement.Source.QUIZ, user, module, skill, at)
        for row in outcomes:
            row.content_version, row.seed = quiz.version, attempt.seed
        return attempt, answers, outcomes

    def run(self, user, scenario, version, module: ModuleContent, skill, at):
        rng = self.rng
        steps = {s["id"]: s for s in version.definition.get("steps", [])}
        step = (version.definition.get("steps") or [{}])[0]
        transcript = []
        while step.get("choices") and len(transcript) < 8:
            choices = step["choices"]
            # Stronger trainees take the first (usually the expert's) choice more often.
            choice = choices[0] if rng.random() < skill else rng.choice(choices)
            target = choice.get("next")
            if isinstance(target, list):
                target = target[0]["step"] if target else None
            transcript.append(
                Turn(
                    index=len(transcript) + 1,
                    step_id=step["id"],
                    choice_id=choice["id"],
                    said=choice.get("say", ""),
                    behaviors=[
                        b if isinstance(b, str) else b["code"] for b in choice.get("behaviors", [])
                    ],
                    next_step=target or "",
                    created_at=at - timedelta(seconds=30 * (8 - len(transcript))),
                )
            )
            step = steps.get(target, {})
        critical = 1 if rng.random() < 0.06 * (1.5 - skill) else 0
        score = round(max(0.0, min(100.0, rng.gauss(100 * skill, 12))), 1)
        run = Run(
            user_id=user.pk,
            scenario=scenario,
            version=version,
            seed=rng.getrandbits(48),
            facts={},
            status=Run.Status.COMPLETED,
            current_step=step.get("id", ""),
            turn_count=len(transcript),
            started_at=at - timedelta(minutes=rng.randint(3, 12)),
            finished_at=at,
            score=score,
            compliance_score=score,
            critical_errors=critical,
            passed=score >= 70 and not critical,
        )
        outcomes = self.outcomes(Judgement.Source.CALL, user, module, skill, at)
        for row in outcomes:
            row.content_version, row.seed = version.number, run.seed
        return run, transcript, outcomes

    def outcomes(self, source, user, module: ModuleContent, skill, at):
        """A few judgements for the results ledger; ``record``, version and seed are set by
        the caller once the attempt or run has them."""
        picked = self.rng.sample(module.behaviors, min(4, len(module.behaviors)))
        rows = []
        for b in picked:
            kept = self.rng.random() > module.difficulty[b] * (1.6 - skill)
            if kept:
                verdict = Judgement.Verdict.KEPT
            elif b in module.violations:
                verdict = Judgement.Verdict.VIOLATED
            else:
                verdict = Judgement.Verdict.MISSED
            rows.append(
                Judgement(
                    trainee_id=user.pk,
                    behavior_id=b,
                    module_id=module.module.pk,
                    source=source,
                    record=0,
                    verdict=verdict,
                    content_version=1,
                    seed=0,
                    judged_at=at,
                )
            )
        return rows

    def certify(self, proof, content) -> None:
        """Certify each trainee on each module whose every quiz and call they passed, at the
        moment the last proof came in; a few are revoked after an audit."""
        by_module = {c.module.pk: c for c in content}
        certifications, links = [], []
        for (user_id, module_id), found in proof.items():
            module = by_module[module_id]
            needed = {("quiz", q.pk) for q in module.quizzes} | {
                ("call", s.pk) for s, _ in module.scenarios
            }
            if not needed or not needed <= set(found):
                continue
            awarded = max(at for _, at in found.values())
            revoked = self.rng.random() < 0.01
            certifications.append(
                Certification(
                    trainee_id=user_id,
                    module_id=module_id,
                    awarded_at=awarded,
                    expires_at=awarded + timedelta(days=365),
                    content_version=module.module.version,
                    code=new_verification_code(),
                    evidence=[
                        {"kind": kind, "item_id": pk, "record_id": record.pk, "verdict": "met"}
                        for (kind, pk), (record, _) in sorted(found.items())
                    ],
                    evidence_key=hashlib.sha256(
                        ",".join(f"{k}:{r.pk}" for (k, _), (r, _) in sorted(found.items())).encode()
                    ).hexdigest(),
                    revoked_at=awarded + timedelta(days=20) if revoked else None,
                    revocation_reason="Auditoria de qualidade (dados de demonstração)"
                    if revoked
                    else "",
                )
            )
            links.append(found)
        Certification.objects.bulk_create(certifications, batch_size=BATCH)
        AttemptLink = Certification.quiz_attempts.through
        RunLink = Certification.scenario_runs.through
        AttemptLink.objects.bulk_create(
            [
                AttemptLink(certification_id=c.pk, attempt_id=record.pk)
                for c, found in zip(certifications, links, strict=True)
                for (kind, _), (record, _) in found.items()
                if kind == "quiz"
            ],
            batch_size=BATCH,
        )
        RunLink.objects.bulk_create(
            [
                RunLink(certification_id=c.pk, run_id=record.pk)
                for c, found in zip(certifications, links, strict=True)
                for (kind, _), (record, _) in found.items()
                if kind == "call"
            ],
            batch_size=BATCH,
        )

    def summary(self, prefix: str) -> str:
        users = get_user_model().objects.filter(username__startswith=f"{prefix}-agente-")
        now = self.now
        certifications = Certification.objects.filter(trainee__in=users).with_status(now)
        statuses = defaultdict(int)
        for status in certifications.values_list("status", flat=True):
            statuses[status] += 1
        return (
            f"Seeded {users.count()} trainees: "
            f"{Attempt.objects.filter(user__in=users).count()} attempts, "
            f"{Run.objects.filter(user__in=users).count()} calls, "
            f"{sum(statuses.values())} certificates ("
            + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
            + f"). Password for every demo user: {DEMO_PASSWORD}"
        )


def _placeholder_call() -> dict:
    return {
        "persona": {"names": ["Cliente Demonstração"], "mood": "calmo", "segment": "residencial"},
        "steps": [
            {
                "id": "abertura",
                "customer": "Bom dia, preciso de ajuda.",
                "choices": [
                    {"id": "acolher", "say": "Bom dia! Vou ajudar.", "next": "fim"},
                    {"id": "apressar", "say": "Diga logo o que precisa.", "next": "fim"},
                ],
            },
            {"id": "fim", "customer": "Obrigado.", "outcome": "Encerrada."},
        ],
        "rubric": {"items": []},
    }
