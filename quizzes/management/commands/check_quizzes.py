"""`manage.py check_quizzes [--pack [PATH]]`: answer every published quiz (or every quiz of a
content pack) with the guessing bots, and say how much the look of the options gives away; fail
when a guesser comes within the margin of a pass mark."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.guessers import MIN_MARGIN, PAPERS, giveaways, quiz_figures
from quizzes.models import Quiz
from quizzes.selectors import paper_sources
from training.guessing import guessers
from training.pack.loader import validate_pack
from training.pack.source import PackInvalid
from training.selectors import manual_text


class Command(BaseCommand):
    help = (
        "Answer every published quiz with bots that guess by the look of the options (first, "
        "longest, most polite, without absolute words, random) and print their scores and how "
        "often the key is the longest option."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pack",
            nargs="?",
            const=settings.CONTENT_DIR,
            type=Path,
            help="the quizzes of a content pack instead of the database "
            "(default path: settings.CONTENT_DIR)",
        )
        parser.add_argument(
            "--papers", type=int, default=PAPERS, help=f"papers per quiz (default {PAPERS})"
        )

    def handle(self, *args, pack: Path | None, papers: int, **options):
        if pack is not None:
            quizzes, manual = self.from_pack(Path(pack))
        else:
            quizzes, manual = self.from_database(), manual_text()
        bots = guessers(manual)
        failing = []
        for slug, settings_, slots, questions in quizzes:
            figures = quiz_figures(
                slots,
                questions,
                pass_mark=settings_["pass_mark"],
                shuffle_questions=settings_["shuffle_questions"],
                shuffle_options=settings_["shuffle_options"],
                papers=papers,
                guessers=bots,
            )
            seen = giveaways(questions.values())
            means = "  ".join(f"{name} {mean:5.1f}" for name, mean in figures.mean.items())
            self.stdout.write(
                f"{slug:<36} pass {figures.pass_mark}  guessers' mean: {means}  "
                f"margin {figures.margin():.1f}"
            )
            self.stdout.write(
                f"{'':<36} key is the longest option in {seen.key_longest:.0%} of "
                f"{seen.cases} item cases (chance {seen.chance:.0%}); absolute words in "
                f"{seen.key_absolute:.0%} of keys, {seen.wrong_absolute:.0%} of wrong options"
            )
            if figures.margin() < MIN_MARGIN or any(figures.passed.values()):
                failing.append(slug)
        if failing:
            raise CommandError(
                f"guessers come within {MIN_MARGIN} points of the pass mark, or pass, in: "
                + ", ".join(failing)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(quizzes)} quiz(zes): every guesser stays at least {MIN_MARGIN} points "
                "under the pass mark"
            )
        )

    def from_pack(self, root: Path):
        try:
            sections, _ = validate_pack(root)
        except PackInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) in the pack at {root}") from None
        found, manual = [], ""
        for section in sections:
            for entry, slots, questions in getattr(section, "paper_sources", list)():
                found.append((entry.slug, entry.model_dump(), slots, questions))
            if hasattr(section, "manual_text"):
                manual = section.manual_text()
        return found, manual

    def from_database(self):
        found = []
        for quiz in Quiz.objects.published().order_by("module__order", "slug"):
            slots, questions = paper_sources(quiz)
            values = {
                "pass_mark": quiz.pass_mark,
                "shuffle_questions": quiz.shuffle_questions,
                "shuffle_options": quiz.shuffle_options,
            }
            found.append((quiz.slug, values, slots, questions))
        return found
