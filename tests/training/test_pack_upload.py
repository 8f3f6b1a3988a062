"""A content pack uploaded as a zip: checked and reported before anything is written, loaded
only by a trainer with the publish permission, and refused with a message when the archive
tries to reach outside its folder or is no pack at all."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes import authoring
from quizzes.models import Question
from tests.quizzes.test_one_validation_path import GOOD
from tests.small_pack import write_pack
from training.models import Module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_sections(settings):
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
    ]


def zipped(root, prefix="content/", extra=()) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in root.rglob("*.yaml"):
            archive.write(path, prefix + str(path.relative_to(root)))
        for name, data in extra:
            archive.writestr(name, data)
    return SimpleUploadedFile("pack.zip", buffer.getvalue(), content_type="application/zip")


def test_a_check_reports_and_writes_nothing(tmp_path, client, trainer):
    root = write_pack(tmp_path / "content", [GOOD])
    client.force_login(trainer)
    page = client.post(reverse("reporting:pack_upload"), {"archive": zipped(root)})
    assert page.status_code == 200
    assert "questions: 1 created" in page.content.decode()
    assert not Module.objects.exists()


def test_loading_needs_the_publish_permission(tmp_path, client, trainer, publisher):
    root = write_pack(tmp_path / "content", [GOOD])
    client.force_login(trainer)
    url = reverse("reporting:pack_upload")
    assert client.post(url, {"archive": zipped(root), "apply": "on"}).status_code == 403
    assert not Module.objects.exists()
    client.force_login(publisher)
    client.post(url, {"archive": zipped(root, prefix=""), "apply": "on"})
    assert Question.objects.filter(key="pergunta").exists()


def test_what_was_published_in_the_browser_is_not_overwritten_unasked(tmp_path, client, publisher):
    root = write_pack(tmp_path / "content", [GOOD])
    client.force_login(publisher)
    url = reverse("reporting:pack_upload")
    client.post(url, {"archive": zipped(root), "apply": "on"})
    question = Question.objects.get(key="pergunta")
    draft = authoring.question_draft_open(question, author=publisher)
    draft.entry = {**draft.entry, "explanation": "Do navegador."}
    draft.save()
    authoring.question_draft_publish(draft.pk, by=publisher)

    page = client.post(url, {"archive": zipped(root), "apply": "on"}).content.decode()
    assert "promessa" in page and "questions updated: pergunta" in page
    assert Question.objects.get(key="pergunta").explanation == "Do navegador."
    client.post(url, {"archive": zipped(root), "apply": "on", "force": "on"})
    assert Question.objects.get(key="pergunta").explanation == GOOD["explanation"]


@pytest.mark.parametrize(
    "bad",
    [
        [("../fora.yaml", "x: 1")],
        [("/etc/modules/x.yaml", "x: 1")],
        [("content\\modules\\x.yaml", "x: 1")],
    ],
)
def test_an_archive_reaching_outside_is_refused(bad, tmp_path, client, publisher):
    root = write_pack(tmp_path / "content", [GOOD])
    client.force_login(publisher)
    page = client.post(
        reverse("reporting:pack_upload"), {"archive": zipped(root, extra=bad), "apply": "on"}
    )
    assert page.status_code == 200 and page.context["form"].errors
    assert not Module.objects.exists()


def test_what_is_no_pack_gets_a_message(client, publisher):
    client.force_login(publisher)
    url = reverse("reporting:pack_upload")
    for upload in (
        SimpleUploadedFile("x.zip", b"not a zip\x00"),
        SimpleUploadedFile("x.zip", _zip_of([("leia-me.txt", "oi")])),
    ):
        page = client.post(url, {"archive": upload, "apply": "on"})
        assert page.status_code == 200 and page.context["form"].errors
    broken = _zip_of([("modules/01-x.yaml", "module: [")])
    page = client.post(url, {"archive": SimpleUploadedFile("x.zip", broken), "apply": "on"})
    assert "malformed YAML" in page.content.decode()
    assert not Module.objects.exists()


def _zip_of(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()
