"""A one-module content pack written to disk for the authoring tests: the curriculum of
tests/quizzes/test_one_validation_path.py (module ``promessa``, procedure ``regras``) and a
quiz file with the questions given."""

from pathlib import Path
from textwrap import dedent

import yaml

from tests.quizzes.test_one_validation_path import MODULE


def write_pack(root: Path, questions: list[dict]) -> Path:
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "quizzes").mkdir(exist_ok=True)
    (root / "modules" / "01-promessa.yaml").write_text(dedent(MODULE), encoding="utf-8")
    quiz = {
        "module": "promessa",
        "quiz": {"slug": "quiz", "title": "Quiz", "slots": [{"question": questions[0]["key"]}]},
        "questions": questions,
    }
    (root / "quizzes" / "promessa.yaml").write_text(
        yaml.safe_dump(quiz, allow_unicode=True), encoding="utf-8"
    )
    return root
