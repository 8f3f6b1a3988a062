"""Seed a company's training history for demos and benchmarks, graded by the real engines.

Teams, trainees and managers; quiz attempts whose papers are drawn, served and graded by the
quiz engine (``quizzes.paper``, ``quizzes.grading``), answered by simulated trainees who know
each answer with a probability that depends on their skill and the question; calls played by
the same trainees through the real call graphs and graded by the real rubrics; the results
ledger those gradings produce; certificates where the module's results earn them (valid,
expiring, expired, a few revoked); then the reporting rollups. Everything is written with
``bulk_create`` in batches.

Grading every attempt from scratch would take hours at 20,000 trainees, so each quiz gets a set
of prepared papers (drawn and served with their own seeds) whose items are graded once with
the right answer and once with a wrong one; an attempt picks a paper and, item by item, which
of the two its trainee gave. Calls likewise: each call is played once per fact case and skill
level ahead, and a run replays one of those plays.

Idempotent per prefix: trainees are named ``<prefix>-agente-00001``...; a second run with the
same prefix finds them and adds nothing. Use another ``--prefix`` to add a second population.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from certification.models import Certification
from certification.services import certification_policies_ensure, new_verification_code
from quizzes import grading
from quizzes.kinds import kind_of
from quizzes.models import Attempt, AttemptItem, Quiz
from quizzes.paper import build_paper, draw_questions, public_question
from quizzes.selectors import paper_sources
from reporting.models import BehaviorDailyTally, ModuleActivity
from reporting.services import add_option_counts, option_picks
from scenarios import grading as call_grading
from scenarios.graph import render
from scenarios.models import Run, Scenario, ScenarioVersion, Turn
from scenarios.selectors import graph_of
from training.guessing import GUESSERS
from training.models import Behavior, Judgement, Module, Team
from training.roles import Role
from training.services import behavior_index, judgement_rows

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
# Prepared ahead per quiz and per call (see the module's docstring).
PAPERS_PER_QUIZ = 24
SKILL_LEVELS = (0.55, 0.7, 0.8, 0.9, 0.97)
PLAYS_PER_LEVEL = 6
RANDOM = next(g for g in GUESSERS if g.name == "random")


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


class Inserter:
    """Plain ``INSERT``s of many rows at once, values adapted for the database once, ids given
    by us (a seed runs alone). Several times faster than ``bulk_create`` for the millions of
    rows of a 20,000-trainee company: no model instances, each frozen paper serialised once."""

    def __init__(self):
        self.ops = connection.ops
        self.next_id: dict[type, int] = {}

    def ids(self, model, count: int) -> range:
        if model not in self.next_id:
            top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.next_id[model] = top + 1
        start = self.next_id[model]
        self.next_id[model] = start + count
        return range(start, start + count)

    def when(self, value):
        return self.ops.adapt_datetimefield_value(value)

    def insert(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quote = self.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams the rows in one go instead of one round trip each.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for start in range(0, len(rows), BATCH * 5):
                cursor.executemany(sql, rows[start : start + BATCH * 5])

    def reset_sequences(self) -> None:
        """PostgreSQL hands out ids from a sequence: move it past the ids we gave."""
        statements = self.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class PreparedPaper:
    """A served paper with each item graded both ways: (response, result) right and wrong."""

    paper: dict
    paper_json: str
    items: list[grading.Item]
    right: list[tuple[object, grading.ItemResult]]
    wrong: list[tuple[object, grading.ItemResult]]


@dataclass
class PreparedQuiz:
    quiz: Quiz
    papers: list[PreparedPaper]
    # How hard each question is (the chance a trainee of average skill misses it).
    difficulty: dict[int, float]


@dataclass
class Play:
    """One call played ahead: its facts, the turns taken and the grade."""

    seed: int
    facts: dict
    turns: list[dict]
    result: call_grading.GradeResult
    final_step: str
    judged: dict = field(default_factory=dict)
    facts_json: str = ""
    result_json: str = ""


@dataclass
class PreparedCall:
    scenario: Scenario
    version: ScenarioVersion
    plays: dict[float, list[Play]]  # by skill level


@dataclass
class ModuleContent:
    module: Module
    quizzes: list[PreparedQuiz] = field(default_factory=list)
    calls: list[PreparedCall] = field(default_factory=list)


@dataclass(frozen=True)
class _Record:
    """What the certificates need of an attempt or run written as a plain row: its id."""

    pk: int


class Command(BaseCommand):
    help = (
        "Seed teams, trainees and managers with quiz attempts and calls graded by the real "
        "engines, the results ledger, certificates and rollups (bulk, batched)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=200)
        parser.add_argument("--teams", type=int, default=4)
        parser.add_argument("--attempts-per-trainee", type=int, default=8)
        parser.add_argument("--runs-per-trainee", type=int, default=6)
        parser.add_argument("--prefix", default="demo")
        parser.add_argument("--seed", type=int, default=20260601)

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
        certification_policies_ensure()
        started = time.monotonic()
        self.known = behavior_index(Behavior.objects.values_list("code", flat=True))
        content = self.prepare()
        if not any(c.quizzes or c.calls for c in content):
            raise CommandError(
                "No quiz or call to take: load the pack first (manage.py load_curriculum)."
            )
        self.stderr.write(f"Prepared     papers and plays in {time.monotonic() - started:.1f}s")
        users = self.create_people(prefix, trainees, teams)
        self.create_history(
            users, content, options["attempts_per_trainee"], options["runs_per_trainee"]
        )
        # Plain rows bypass the grading services, which keep the reporting rollups current:
        # add what this population did to them, counted while it was written.
        started = time.monotonic()
        self.write_rollups()
        self.stderr.write(f"Rollups      written in {time.monotonic() - started:.1f}s")
        # A bulk load leaves the query planner's statistics describing empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(self.summary(prefix)))

    # --- content, prepared once ------------------------------------------------------------

    def prepare(self) -> list[ModuleContent]:
        by_module = {m.pk: ModuleContent(m) for m in Module.objects.order_by("order", "slug")}
        for quiz in Quiz.objects.published().select_related("module").order_by("slug"):
            prepared = self.prepare_quiz(quiz)
            if prepared.papers:
                by_module[quiz.module_id].quizzes.append(prepared)
        for version in (
            ScenarioVersion.objects.current()
            .filter(scenario__is_active=True)
            .select_related("scenario")
            .order_by("scenario__slug")
        ):
            prepared = self.prepare_call(version)
            if prepared is not None:
                by_module[version.scenario.module_id].calls.append(prepared)
        return list(by_module.values())

    def prepare_quiz(self, quiz: Quiz) -> PreparedQuiz:
        slots, questions = paper_sources(quiz)
        papers = []
        for n in range(PAPERS_PER_QUIZ if questions else 0):
            seed = self.rng.getrandbits(48)
            contents = draw_questions(slots, questions, seen=(), rng=random.Random(seed))
            if not contents:
                break
            paper = build_paper(
                contents,
                seed=seed,
                shuffle_questions=quiz.shuffle_questions,
                shuffle_options=quiz.shuffle_options,
                quiz={
                    "id": quiz.pk,
                    "slug": quiz.slug,
                    "title": quiz.title,
                    "version": quiz.version,
                    "module_version": quiz.module.version,
                    "pass_mark": quiz.pass_mark,
                },
            )
            items = grading.items_from_paper(paper)
            right, wrong = [], []
            rng = random.Random(seed + n)
            for item, served in zip(items, paper["questions"], strict=True):
                kind = kind_of(item.kind)
                key = kind.right(served)
                right.append((key, grading.grade_item(item, key)))
                guess = kind.guess(public_question(served), RANDOM, rng)
                result = grading.grade_item(item, guess)
                if result.correct:  # the guess hit: a trainee who does not know still errs
                    guess, result = None, grading.grade_item(item, None)
                wrong.append((guess, result))
            papers.append(PreparedPaper(paper, _json(paper), items, right, wrong))
        difficulty = {pk: self.rng.choice((0.05, 0.1, 0.2, 0.3, 0.45)) for pk in questions}
        return PreparedQuiz(quiz, papers, difficulty)

    def prepare_call(self, version: ScenarioVersion) -> PreparedCall | None:
        story = graph_of(version)
        violations = {code for code, (_pk, kind) in self.known.items() if kind == "violation"}
        plays: dict[float, list[Play]] = {}
        for level in SKILL_LEVELS:
            plays[level] = [
                self.play(story, violations, level, self.rng.getrandbits(48))
                for _ in range(PLAYS_PER_LEVEL)
            ]
        return PreparedCall(version.scenario, version, plays)

    def play(self, story, violations: set[str], skill: float, seed: int) -> Play:
        """A trainee of ``skill`` takes the call: at each step they say a line that breaks no
        rule with that probability, and any line shown otherwise."""
        rng = random.Random(seed)
        facts = story.draw(seed)
        step, turns = story.start, []
        while not step.is_end and len(turns) < 40:
            if step.typed is not None:
                # A typed step: the trainee writes one of the author's sample replies, a right
                # one with the probability of their skill.
                samples = step.on_offer(facts)
                right = [c for c in samples if c.expect_accepted]
                pool = right if right and rng.random() < skill else samples
                choice = rng.choice(pool)
                said = render(choice.say, facts)
                graded = step.typed.grade(said, facts)
                target = step.typed.leads_to(facts)
                turns.append(
                    {
                        "index": len(turns) + 1,
                        "step_id": step.id,
                        "offered": [],
                        "position": 0,
                        "choice_id": Turn.TYPED,
                        "said": said,
                        "behaviors": list(graded.performed),
                        "evidence": graded.to_dict(),
                        "next_step": target,
                    }
                )
                step = story.step(target)
                continue
            shown = step.shown(facts, seed)
            safe = [c for c in shown if not violations & set(c.performs(facts))]
            choice = rng.choice(safe) if safe and rng.random() < skill else rng.choice(shown)
            target = choice.leads_to(facts)
            turns.append(
                {
                    "index": len(turns) + 1,
                    "step_id": step.id,
                    "offered": [c.id for c in shown],
                    "position": shown.index(choice) + 1,
                    "choice_id": choice.id,
                    "said": render(choice.say, facts),
                    "behaviors": list(choice.performs(facts)),
                    "evidence": {},
                    "next_step": target,
                }
            )
            step = story.step(target)
        records = [
            call_grading.TurnRecord(index=t["index"], behaviors=tuple(t["behaviors"]))
            for t in turns
        ]
        result = call_grading.grade(records, facts, story.rubric, completed=step.is_end)
        for turn in turns:
            turn["offered"], turn["behaviors"] = _json(turn["offered"]), _json(turn["behaviors"])
            turn["evidence"] = _json(turn["evidence"])
        return Play(
            seed,
            facts,
            turns,
            result,
            step.id,
            judged=call_grading.behavior_judgements(result),
            facts_json=_json(facts),
            result_json=_json(result.to_dict()),
        )

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
        self.out = Inserter()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A seed can be run again from scratch: skip waiting for the disk after each batch.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        self.activity: dict[tuple[int, int], list] = {}
        self.tallies: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        self.picks: list[tuple] = []  # (paper, [(position, question id, response)])
        for start in range(0, len(users), TRAINEES_PER_CHUNK):
            chunk = users[start : start + TRAINEES_PER_CHUNK]
            with transaction.atomic():
                self.write_chunk(chunk, content, attempts_each, runs_each)
            progress.advance(len(chunk))
        self.out.reset_sequences()
        progress.finish()

    def write_chunk(self, users, content, attempts_each: int, runs_each: int) -> None:
        rng = self.rng
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        # (user, module) -> what proves the module: the first pass of each quiz and call
        proof: dict[tuple[int, int], dict] = {}
        modules = [c for c in content if c.quizzes or c.calls]
        for user in users:
            skill = min(0.98, max(0.4, rng.gauss(0.78, 0.12)))
            # Each trainee trains for a few weeks or months at some point of the history, so
            # certificates come out valid, expiring soon and long expired.
            clock = self.now - timedelta(days=rng.uniform(15, HISTORY_DAYS))
            span = min(self.now - clock, timedelta(days=rng.uniform(30, 120)))
            step = span / (attempts_each + runs_each + 1)
            numbers: dict[int, int] = defaultdict(int)
            # Trainees follow different tracks (sales, billing, support...): each starts the
            # course at its own module, so every module has trainees far along in it.
            start = rng.randrange(len(modules)) if modules else 0
            track = modules[start:] + modules[:start]
            for kind, item, module in self.course(track, attempts_each, runs_each):
                clock += step * rng.uniform(0.5, 1.5)
                at = min(clock, self.now - timedelta(minutes=5))
                skill = min(0.98, skill + 0.01)  # practice helps a little
                if kind == "quiz":
                    numbers[item.quiz.pk] += 1
                    record, passed = self.attempt(
                        user, item, module, numbers[item.quiz.pk], skill, at
                    )
                    key = ("quiz", item.quiz.pk)
                else:
                    record, passed = self.run(user, item, skill, at)
                    key = ("call", item.scenario.pk)
                self.count_activity(user.pk, module.module.pk, kind, passed, at)
                if passed:
                    proof.setdefault((user.pk, module.module.pk), {}).setdefault(key, (record, at))
                self.passed = passed
        out = self.out
        out.insert(
            Attempt,
            [
                "id",
                "quiz",
                "user",
                "number",
                "status",
                "seed",
                "quiz_version",
                "module_version",
                "paper",
                "started_at",
                "deadline",
                "submitted_at",
                "score",
                "passed",
                "options_tallied",
            ],
            self.rows[Attempt],
        )
        out.insert(
            AttemptItem,
            ["attempt", "position", "question", "response", "saved_at", "score", "correct"],
            self.rows[AttemptItem],
        )
        out.insert(
            Run,
            [
                "id",
                "user",
                "scenario",
                "version",
                "is_preview",
                "seed",
                "facts",
                "status",
                "current_step",
                "turn_count",
                "started_at",
                "finished_at",
                "score",
                "compliance_score",
                "critical_errors",
                "passed",
                "result",
            ],
            self.rows[Run],
        )
        out.insert(
            Turn,
            [
                "run",
                "index",
                "step_id",
                "offered",
                "position",
                "choice_id",
                "said",
                "behaviors",
                "evidence",
                "next_step",
                "created_at",
            ],
            self.rows[Turn],
        )
        out.insert(
            Judgement,
            [
                "trainee",
                "behavior",
                "module",
                "source",
                "record",
                "place",
                "verdict",
                "evidence",
                "content_version",
                "seed",
                "judged_at",
            ],
            self.rows[Judgement],
        )
        self.certify(proof, content)

    def ledger(self, judged, *, trainee_id, module_id, source, record, version, seed, at) -> None:
        """The results ledger rows, as ``training.services.judgement_rows`` makes them, and
        the day's tallies they add to."""
        day = timezone.localdate(at)
        when = self.out.when(at)
        for row in judgement_rows(
            judged,
            self.known,
            trainee_id=trainee_id,
            module_id=module_id,
            source=source,
            record=record,
            content_version=version,
            seed=seed,
            at=at,
        ):
            self.rows[Judgement].append(
                (
                    trainee_id,
                    row.behavior_id,
                    module_id,
                    source,
                    record,
                    row.place,
                    row.verdict,
                    _json(row.evidence),
                    version,
                    seed,
                    when,
                )
            )
            tally = self.tallies[(day, row.behavior_id, source)]
            tally[0] += 1
            tally[1] += row.verdict != Judgement.Verdict.KEPT

    def count_activity(self, trainee_id, module_id, kind, passed, at) -> None:
        entry = self.activity.setdefault((trainee_id, module_id), [0, 0, 0, 0, at])
        offset = 0 if kind == "quiz" else 2
        entry[offset] += 1
        entry[offset + 1] += bool(passed)
        entry[4] = max(entry[4], at)

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
                    yield "quiz", quiz, module
                    if self.passed:
                        break
            for call in module.calls:
                reached_calls.append((call, module))
                for _ in range(2):
                    if not runs_left:
                        break
                    runs_left -= 1
                    yield "call", call, module
                    if self.passed:
                        break
        for _ in range(quizzes_left if reached_quizzes else 0):
            yield "quiz", *self.rng.choice(reached_quizzes)
        for _ in range(runs_left if reached_calls else 0):
            yield "call", *self.rng.choice(reached_calls)

    def attempt(self, user, prepared: PreparedQuiz, module: ModuleContent, number, skill, at):
        rng, out = self.rng, self.out
        quiz = prepared.quiz
        paper = rng.choice(prepared.papers)
        [pk] = out.ids(Attempt, 1)
        saved = out.when(at)
        results, responses = [], []
        for item, served, right, wrong in zip(
            paper.items, paper.paper["questions"], paper.right, paper.wrong, strict=True
        ):
            miss = prepared.difficulty.get(served["question_id"], 0.2) * (1.9 - skill) * 1.6
            response, result = right if rng.random() >= miss else wrong
            results.append(result)
            responses.append(response)
            self.rows[AttemptItem].append(
                (
                    pk,
                    item.position,
                    served["question_id"],
                    None if response is None else _json(response),
                    saved,
                    self.decimal(result.score, 4),
                    result.correct,
                )
            )
        result = grading.paper_result(paper.items, results, quiz.pass_mark)
        seed = rng.getrandbits(48)
        self.rows[Attempt].append(
            (
                pk,
                quiz.pk,
                user.pk,
                number,
                Attempt.Status.SUBMITTED,
                seed,
                quiz.version,
                module.module.version,
                paper.paper_json,
                out.when(at - timedelta(minutes=rng.randint(6, 30))),
                None,
                saved,
                self.decimal(result.percent, 2),
                result.passed,
                True,  # its picks are counted in the option tallies below
            )
        )
        self.picks.append(
            (
                paper.paper,
                [
                    (i.position, s["question_id"], r)
                    for i, s, r in zip(
                        paper.items, paper.paper["questions"], responses, strict=True
                    )
                ],
            )
        )
        self.ledger(
            result.judgements,
            trainee_id=user.pk,
            module_id=module.module.pk,
            source=Judgement.Source.QUIZ,
            record=pk,
            version=quiz.version,
            seed=seed,
            at=at,
        )
        return _Record(pk), result.passed

    def decimal(self, value, places: int):
        return self.out.ops.adapt_decimalfield_value(value, 7, places)

    def run(self, user, prepared: PreparedCall, skill, at):
        rng, out = self.rng, self.out
        level = min(SKILL_LEVELS, key=lambda s: abs(s - skill))
        play = rng.choice(prepared.plays[level])
        [pk] = out.ids(Run, 1)
        count = len(play.turns)
        for turn in play.turns:
            self.rows[Turn].append(
                (
                    pk,
                    turn["index"],
                    turn["step_id"],
                    turn["offered"],
                    turn["position"],
                    turn["choice_id"],
                    turn["said"],
                    turn["behaviors"],
                    turn["evidence"],
                    turn["next_step"],
                    out.when(at - timedelta(seconds=40 * (count - turn["index"]))),
                )
            )
        result = play.result
        self.rows[Run].append(
            (
                pk,
                user.pk,
                prepared.scenario.pk,
                prepared.version.pk,
                False,
                play.seed,
                play.facts_json,
                Run.Status.COMPLETED,
                play.final_step,
                count,
                out.when(at - timedelta(seconds=40 * count + rng.randint(30, 120))),
                out.when(at),
                result.total,
                result.compliance,
                len(result.critical_errors),
                result.passed,
                play.result_json,
            )
        )
        self.ledger(
            play.judged,
            trainee_id=user.pk,
            module_id=prepared.scenario.module_id,
            source=Judgement.Source.CALL,
            record=pk,
            version=prepared.version.number,
            seed=play.seed,
            at=at,
        )
        return _Record(pk), result.passed

    def certify(self, proof, content) -> None:
        """Certify each trainee on each module whose every quiz and call they passed, at the
        moment the last proof came in; a few are revoked after an audit."""
        by_module = {c.module.pk: c for c in content}
        certifications, links = [], []
        for (user_id, module_id), found in proof.items():
            module = by_module[module_id]
            needed = {("quiz", q.quiz.pk) for q in module.quizzes} | {
                ("call", c.scenario.pk) for c in module.calls
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

    @transaction.atomic
    def write_rollups(self) -> None:
        add_option_counts(option_picks(self.picks))
        ModuleActivity.objects.bulk_create(
            [
                ModuleActivity(
                    trainee_id=trainee_id,
                    module_id=module_id,
                    quiz_attempts=quizzes,
                    quiz_passed=quizzes_passed,
                    call_runs=calls,
                    call_passed=calls_passed,
                    last_activity_at=last,
                )
                for (trainee_id, module_id), (
                    quizzes,
                    quizzes_passed,
                    calls,
                    calls_passed,
                    last,
                ) in self.activity.items()
            ],
            batch_size=BATCH,
        )
        # Another population may already have counted the same days: add to their counts,
        # in one upsert.
        existing = {
            (t["day"], t["behavior_id"], t["source"]): (t["total"], t["missed"])
            for t in BehaviorDailyTally.objects.filter(
                day__in={day for day, _, _ in self.tallies}
            ).values("day", "behavior_id", "source", "total", "missed")
        }
        if not existing:
            self.out.insert(
                BehaviorDailyTally,
                ["day", "behavior", "source", "total", "missed"],
                [(*key, total, missed) for key, (total, missed) in sorted(self.tallies.items())],
            )
            return
        rows = []
        for (day, behavior_id, source), (total, missed) in sorted(self.tallies.items()):
            before = existing.get((day, behavior_id, source), (0, 0))
            rows.append(
                BehaviorDailyTally(
                    day=day,
                    behavior_id=behavior_id,
                    source=source,
                    total=before[0] + total,
                    missed=before[1] + missed,
                )
            )
        BehaviorDailyTally.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["day", "behavior", "source"],
            update_fields=["total", "missed"],
        )

    def summary(self, prefix: str) -> str:
        users = get_user_model().objects.filter(username__startswith=f"{prefix}-agente-")
        certifications = Certification.objects.filter(trainee__in=users).with_status(self.now)
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
