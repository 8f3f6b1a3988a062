"""Fuzzing with hypothesis: every form of the site posted with hostile values (NUL and control
characters, huge and non-finite numbers, markup, format strings, megabytes of digits, unknown
fields) and the pack loader fed mutated and random files. Nothing may answer 500 or show a
traceback; the loader may only load or refuse with its own error."""

from __future__ import annotations

import copy
import os
import re

import pytest
import yaml
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import services as quiz_services
from scenarios import services as call_services
from scenarios.models import Run
from tests.factories import (
    CertificationFactory,
    ProcedureFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
    UserFactory,
)
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import chat_definition, make_call
from tests.scenarios.test_pack import MODULE, call_file
from training.pack.loader import load_pack
from training.pack.source import PackInvalid, dump_yaml
from training.roles import Role

pytestmark = pytest.mark.django_db

# A quick pass in every run; FUZZ_EXAMPLES=1000 for a long hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x1b[31m",
            "9" * 400,
            "-1",
            "0",
            "1e309",
            "-1e309",
            "NaN",
            "Infinity",
            "1,5",
            "99999999999999999999999999",
            "{cliente.__class__}",
            "{0}",
            "%s%s%s",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "\u202eevil",
            "🙂" * 50,
            " ",
            "",
        ]
    ),
    st.integers().map(str),
)


def form_data(names: list[str]):
    """Values for the form's own fields (some left out) plus a few unknown ones."""
    known = st.fixed_dictionaries({}, optional={name: NASTY for name in names})
    extra = st.dictionaries(st.text(min_size=1, max_size=12), NASTY, max_size=3)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def field_names(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"})


def assert_handled(response, where):
    assert response.status_code < 500, where
    assert b"Traceback" not in response.content, where


def posted(client: Client, method: str, url: str, data: dict):
    """One request whose writes are rolled back, so every example meets the same world."""
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


@pytest.fixture
def world(trainee, manager):
    quiz = build_quiz()
    call = make_call()
    ProcedureFactory(module=quiz.module)
    attempt = quiz_services.attempt_start(quiz=quiz, user=trainee)
    run = call_services.run_start(user=trainee, scenario=call)
    return {
        "quiz": quiz,
        "attempt": attempt,
        "run": run,
        "certificate": CertificationFactory(trainee=trainee, module=quiz.module),
        "trainee": trainee,
        "manager": manager,
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_the_quiz_answer_sheet(world):
    client = client_for(world["trainee"])
    sheet = client.get(world["attempt"].get_absolute_url()).text
    names = field_names(sheet)
    assert any(name.startswith("q0-") for name in names)
    save = reverse("quizzes:answer_save", args=[world["attempt"].pk])
    submit = reverse("quizzes:attempt_submit", args=[world["attempt"].pk])

    @FUZZ
    @given(form_data(names + ["only"]))
    def run(data):
        assert_handled(posted(client, "post", save, data), ("save", data))
        assert_handled(posted(client, "post", submit, data), ("submit", data))

    run()


def test_the_call_choices(world):
    client = client_for(world["trainee"])
    choose = reverse("scenarios:choose", args=[world["run"].pk])
    hang_up = reverse("scenarios:hang_up", args=[world["run"].pk])

    @FUZZ
    @given(form_data(["turn", "option"]))
    def run(data):
        assert_handled(posted(client, "post", choose, data), ("choose", data))
        assert_handled(posted(client, "post", hang_up, data), ("hang up", data))

    run()


def test_the_typed_reply(world):
    """A chat call waiting at its typed step: any text, turn or extra field is graded or
    refused with a message, never a 500."""
    chat = ScenarioFactory(module=world["quiz"].module, slug="chat-fuzz")
    ScenarioVersionFactory(scenario=chat, definition=chat_definition())
    run = call_services.run_start(user=world["trainee"], scenario=chat)
    Run.objects.filter(pk=run.pk).update(current_step="registrado")
    client = client_for(world["trainee"])
    reply = reverse("scenarios:reply", args=[run.pk])

    @FUZZ
    @given(form_data(["turn", "reply"]))
    def play(data):
        assert_handled(posted(client, "post", reply, data), ("reply", data))

    play()


@pytest.mark.parametrize(
    ("who", "method", "name", "args", "fields"),
    [
        (None, "post", "login", None, ["username", "password", "next"]),
        ("trainee", "post", "password_change", None, ["old_password", "new_password1"]),
        ("trainee", "post", "set_language", None, ["language", "next"]),
        ("manager", "post", "certification:revoke", "certificate", ["reason"]),
        ("manager", "get", "reporting:dashboard", None, ["team", "page"]),
        ("superuser", "get", "people:audit", None, ["action", "who", "page"]),
        ("superuser", "get", "people:person_list", None, ["q", "page"]),
        ("superuser", "post", "people:person_erase", "trainee", ["confirm"]),
        ("trainee", "post", "quizzes:attempt_start", "quiz", ["x"]),
    ],
)
def test_every_other_form(world, who, method, name, args, fields):
    client = client_for(world[who] if who else None)
    arg = {"certificate": lambda: world["certificate"].code, "quiz": lambda: world["quiz"].slug}
    arg["trainee"] = lambda: world["trainee"].pk
    url = reverse(name, args=[arg[args]()] if args else None)

    @FUZZ
    @given(form_data(fields))
    def run(data):
        assert_handled(posted(client, method, url, data), (name, data))

    run()


def test_the_admin_question_form(world):
    client = client_for(world["superuser"])
    url = reverse("admin:quizzes_question_add")
    names = field_names(client.get(url).text)
    assert "spec" in names

    @FUZZ
    @given(form_data(names), st.sampled_from(["single", "multiple", "numeric", "matching"]))
    def run(data, kind):
        data.setdefault("kind", kind)
        assert_handled(posted(client, "post", url, data), data)

    run()


@FUZZ
@given(st.text(min_size=1, max_size=80))
def test_any_verification_code(client, code):
    url = "/verify/" + code.replace("/", "%2F").replace("?", "%3F").replace("#", "%23") + "/"
    assert_handled(Client(raise_request_exception=False).get(url), code)


# --- the pack loader ------------------------------------------------------------------------

SECTIONS = ["training.pack.curriculum.CurriculumSection", "scenarios.pack.ScenarioSection"]

VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        NASTY,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def mutated(data, path, value, delete: bool):
    data = copy.deepcopy(data)
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


def write(root, module, call):
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "modules" / "01-promessa.yaml").write_text(module, encoding="utf-8")
    (root / "scenarios" / "promessa-teste.yaml").write_text(call, encoding="utf-8")


def loads_or_refuses(root):
    with transaction.atomic():
        try:
            load_pack(root)
        except PackInvalid as refused:
            assert refused.errors, "a refusal says why"
        transaction.set_rollback(True)


@override_settings(CONTENT_SECTIONS=SECTIONS)
def test_a_mutated_pack_loads_or_is_refused_with_reasons(tmp_path):
    Group.objects.get_or_create(name=Role.TRAINEE.value)
    call = call_file()
    every_path = list(paths(call))
    module_paths = list(paths(MODULE))

    @FUZZ
    @given(
        st.lists(
            st.tuples(
                st.booleans(),  # which file
                st.integers(min_value=0),  # which place
                VALUES,
                st.booleans(),  # delete the place rather than replace it
            ),
            min_size=1,
            max_size=3,
        )
    )
    def run(changes):
        module, story = MODULE, call
        for in_module, place, value, delete in changes:
            found = module_paths if in_module else every_path
            path = found[place % len(found)]
            try:
                if in_module:
                    module = mutated(module, path, value, delete and bool(path))
                else:
                    story = mutated(story, path, value, delete and bool(path))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed this place
        try:
            module_text, call_text = dump_yaml(module), dump_yaml(story)
        except yaml.YAMLError:
            return
        write(tmp_path, module_text, call_text)
        loads_or_refuses(tmp_path)

    run()


@override_settings(CONTENT_SECTIONS=SECTIONS)
def test_random_text_as_a_pack_file_is_refused_with_reasons(tmp_path):
    @FUZZ
    @given(st.text(max_size=300))
    def run(text):
        write(tmp_path, dump_yaml(MODULE), text)
        loads_or_refuses(tmp_path)

    run()
