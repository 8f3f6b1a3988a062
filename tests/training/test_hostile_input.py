"""Hostile content and answers are refused with a clear message before they cost anything:
alias bombs, NUL bytes, oversized files, conditions nested to exhaust the parser, facts that
combine into millions of cases, placeholders that reach into objects, huge numbers."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from certification.pack import CertificationEntry
from quizzes.kinds import kind_of
from quizzes.kinds.base import InvalidAnswer
from quizzes.schema import QuizEntry
from training.conditions import ConditionError, parse_condition
from training.facts import FactSpec, TooManyCombinations, fact_combinations, fill
from training.pack import source
from training.pack.source import PackInvalid, read_yaml


def refusal(tmp_path, text: str | bytes) -> str:
    path = tmp_path / "file.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(PackInvalid) as refused:
        read_yaml(path, "file.yaml")
    return str(refused.value)


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join(f'*a{n - 1}' for _ in range(9))}]" for n in range(1, 10)]

    message = refusal(tmp_path, "\n".join(lines))

    assert "anchors and aliases" in message


def test_a_single_alias_is_refused_too(tmp_path):
    message = refusal(tmp_path, "base: &b {x: 1}\ncopy: *b\n")

    assert "file.yaml:2: copy: anchors and aliases" in message


def test_a_nul_byte_is_refused(tmp_path):
    assert "NUL" in refusal(tmp_path, "module: {slug: a\x00b}\n")


def test_a_control_character_yaml_refuses_is_named_with_its_line(tmp_path):
    assert "file.yaml:2: malformed YAML: character #x001f" in refusal(tmp_path, "a: 1\nb: \x1f\n")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    assert "cannot read file" in refusal(tmp_path, b"title: \xff\xfe\n")


def test_an_oversized_file_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1024)

    assert "is over" in refusal(tmp_path, "x: " + "a" * 2000)


def test_a_file_with_too_many_values_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_NODES", 100)

    assert "more than 100 values" in refusal(tmp_path, "[" + ", ".join(["1"] * 200) + "]")


def test_python_tags_are_not_constructed(tmp_path):
    message = refusal(tmp_path, "x: !!python/object/apply:os.system ['true']\n")

    assert "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in message
    assert "could not determine a constructor" in refusal(tmp_path, "x: !!python/name:os.system\n")


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("not " * 40 + "dias > 4", "nests at most"),
        ("-" * 500 + "dias > 4", "nests at most"),
        ("dias > " + "1 + " * 600 + "1", "at most 1000 characters"),
        ("dias.__class__", "not allowed"),
        ("__import__('os')", "not allowed"),
    ],
)
def test_hostile_conditions_are_refused_with_a_reason(condition, reason):
    with pytest.raises(ConditionError, match=reason):
        parse_condition(condition)


def test_facts_that_combine_into_too_many_cases_are_refused_before_any_is_walked():
    specs = [FactSpec(f"f{n}", "choice", choices=tuple(range(10))) for n in range(8)]

    with pytest.raises(TooManyCombinations, match="100000000 cases"):
        next(fact_combinations(specs, []))


def test_a_placeholder_cannot_reach_into_an_object():
    facts = {"cliente": "Ana"}

    assert fill("{cliente}", facts) == "Ana"
    assert fill("{cliente.__class__}", facts) == "{cliente.__class__}"
    assert fill("{cliente[0]}", facts) == "{cliente[0]}"
    assert fill("{cliente!r:>99999999}", facts) == "{cliente!r:>99999999}"


@pytest.mark.parametrize("given", ["1e400", "-1e12", "1000000001", "NaN", "Infinity", "9" * 40])
def test_a_huge_or_not_finite_number_is_refused_as_an_answer(given):
    with pytest.raises(InvalidAnswer):
        kind_of("numeric").read({"answer": given}, {})


def test_a_number_within_bounds_is_read():
    assert Decimal(kind_of("numeric").read({"answer": "1.000,5".replace(".", "")}, {})) == Decimal(
        "1000.5"
    )


@pytest.mark.parametrize(
    "settings_",
    [
        {"time_limit_minutes": 10**9},
        {"max_attempts": 10**6},
        {"wait_minutes": 10**12},
        {"pass_mark": 101},
        {"time_limit_minutes": 0},
    ],
)
def test_quiz_settings_out_of_bounds_are_refused(settings_):
    with pytest.raises(ValidationError):
        QuizEntry.model_validate({"slug": "q", "title": "Q", "slots": [], **settings_})


def test_a_certificate_valid_for_centuries_is_refused():
    with pytest.raises(ValidationError):
        CertificationEntry.model_validate({"validity_days": 10**9})


@pytest.mark.django_db
def test_an_id_too_big_for_the_database_or_not_a_number_matches_nothing_in_a_list():
    from tests.factories import ModuleFactory
    from training.models import Module

    module = ModuleFactory()

    assert list(Module.objects.filter(pk__in=[10**30, module.pk])) == [module]
    assert list(Module.objects.filter(pk__in=[10**30, -(10**30)])) == []
    assert list(Module.objects.filter(pk__in=["abc", str(module.pk), "9" * 40])) == [module]
