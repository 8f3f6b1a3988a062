"""Bulk provisioning: a sheet with good and bad rows is previewed and refused until corrected,
nothing written; a good sheet creates people in their team and role, changes who changed and
deactivates who left, keeping their results; the same from the command line."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from people.models import SheetUpload
from people.provisioning import plan_of, read_sheet
from tests.factories import TeamFactory, UserFactory
from training.models import Team
from training.roles import Role

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = (
    "nome;e-mail;matrícula;equipe;papel;admissão\n"
    "Ana Souza;ana@example.com;A100;Equipe Norte;treinando;01/12/2026\n"
    "Bruno Lima;bruno@example.com;A101;Equipe Norte;treinando;\n"
    "Carla Dias;carla@example.com;G200;Equipe Norte;gestor;2026-11-03\n"
)
BAD = GOOD + (
    "Sem Email;;A102;Equipe Norte;treinando;\n"
    "Dado Errado;dado@example.com;A103;Equipe Norte;chefe;\n"
    "Ana Dupla;ana2@example.com;A100;Equipe Norte;treinando;\n"
    "Data Ruim;data@example.com;A104;Equipe Norte;treinando;31/02/2026\n"
    "Espaço;esp@example.com;A 105;Equipe Norte;treinando;\n"
)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def upload(client, text, name="pessoas.csv", **extra):
    return client.post(
        reverse("people:provisioning"),
        {
            "sheet": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text),
            **extra,
        },
    )


def test_a_sheet_with_bad_rows_is_previewed_with_reasons_and_writes_nothing(admin_client):
    response = upload(admin_client, BAD)
    preview = admin_client.get(response.url)
    plan = preview.context["plan"]
    assert len(plan.create) == 3
    reasons = dict(plan.errors)
    assert set(reasons) == {5, 6, 7, 8, 9}
    assert "A100" in reasons[7] and "chefe" in reasons[6]
    admin_client.post(response.url)
    assert not User.objects.filter(username__in=["A100", "A101", "G200"]).exists()
    assert not Team.objects.filter(name="Equipe Norte").exists()


def test_a_good_sheet_creates_people_in_their_team_and_role(admin_client):
    response = upload(admin_client, GOOD)
    admin_client.post(response.url)
    ana = User.objects.get(username="A100")
    assert ana.get_full_name() == "Ana Souza" and not ana.has_usable_password()
    assert ana.has_perm("training.take_training")
    team = Team.objects.get(name="Equipe Norte")
    assert set(team.members.values_list("username", flat=True)) == {"A100", "A101"}
    assert list(team.managers.values_list("username", flat=True)) == ["G200"]
    assert not SheetUpload.objects.exists()
    # The same sheet again changes nothing.
    again = admin_client.get(upload(admin_client, GOOD).url).context["plan"]
    assert (len(again.create), len(again.change), again.unchanged) == (0, 0, 3)


def test_who_left_is_deactivated_keeping_their_history(admin_client):
    team = TeamFactory(name="Equipe Norte")
    leaver = UserFactory(username="A099", roles=[Role.TRAINEE])
    team.members.add(leaver)
    response = upload(admin_client, GOOD, deactivate_missing="on")
    plan = admin_client.get(response.url).context["plan"]
    assert plan.deactivate == [leaver]
    admin_client.post(response.url)
    leaver.refresh_from_db()
    assert not leaver.is_active and User.objects.filter(pk=leaver.pk).exists()


def test_an_excel_sheet_reads_like_a_csv():
    book = Workbook()
    sheet = book.active
    for row in [r.split(";") for r in GOOD.strip().split("\n")]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    plan = plan_of(read_sheet(data.getvalue(), "pessoas.xlsx"))
    assert [p.registration for p in plan.create] == ["A100", "A101", "G200"]


@pytest.mark.parametrize(
    "data,name",
    [
        (b"\xff\xfe\x00garbage", "x.csv"),
        (b"not a workbook", "x.xlsx"),
        ("so;uma;coluna\n1;2;3\n", "x.csv"),
        ("", "x.csv"),
        ("nome;e-mail;matrícula;equipe;papel\nA\x00;a@b.c;A1;E;treinando\n", "x.csv"),
    ],
)
def test_what_is_no_sheet_of_people_gets_a_message(admin_client, data, name):
    response = upload(admin_client, data, name=name)
    if response.status_code == 302:
        page = admin_client.get(response.url, follow=True)
        assert page.status_code == 200
    assert not User.objects.filter(username__in=["A1"]).exists()


def test_the_command_previews_and_writes_only_when_asked(tmp_path):
    sheet = tmp_path / "pessoas.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("provision_people", str(sheet), stdout=out)
    assert "3 to create" in out.getvalue() and not User.objects.filter(username="A100").exists()
    call_command("provision_people", str(sheet), "--apply", stdout=out)
    assert User.objects.filter(username="A100").exists()
    bad = tmp_path / "ruim.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="bad rows"):
        call_command("provision_people", str(bad), "--apply", stdout=out, stderr=io.StringIO())


def test_only_superusers_provision(client, trainee, manager):
    for person in (trainee, manager):
        client.force_login(person)
        assert client.get(reverse("people:provisioning")).status_code == 403
