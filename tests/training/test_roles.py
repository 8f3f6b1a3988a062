import pytest
from django.urls import reverse

from tests.factories import UserFactory
from training.roles import Role

ROLE_HOMES = {
    Role.TRAINEE: "reporting:my_modules",
    Role.TRAINER: "reporting:authoring",
    Role.MANAGER: "reporting:dashboard",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home(client, db, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse("training:home"))
    assert response.status_code == 302
    assert response.url == reverse(ROLE_HOMES[role])
    assert client.get(response.url).status_code == 200


def test_a_user_with_several_roles_reaches_each_home(client, db):
    client.force_login(UserFactory(roles=list(Role)))
    for url_name in ROLE_HOMES.values():
        assert client.get(reverse(url_name)).status_code == 200


def test_login_sends_each_role_home(client, trainer):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": "tania", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:authoring")


@pytest.mark.parametrize("url_name", ["reporting:authoring", "reporting:dashboard"])
def test_a_trainee_gets_403_on_trainer_and_manager_pages(trainee_client, url_name):
    assert trainee_client.get(reverse(url_name)).status_code == 403


def test_a_trainer_gets_403_on_the_trainee_home(trainer_client):
    assert trainer_client.get(reverse("reporting:my_modules")).status_code == 403


@pytest.mark.parametrize(
    "url_name",
    ["training:home", "reporting:my_modules", "reporting:authoring", "reporting:dashboard"],
)
def test_anonymous_users_are_sent_to_login(client, db, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_a_user_without_a_role_is_told_so(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("training:home"))
    assert response.status_code == 200
    assert "training/no_role.html" in [t.name for t in response.templates]


def test_homes_show_a_clear_empty_state(trainee_client):
    response = trainee_client.get(reverse("reporting:my_modules"))
    assert "load_curriculum" in response.content.decode()


def test_the_manager_dashboard_lists_only_managed_teams(manager_client, other_team):
    html = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert "Equipe Alfa" in html
    assert "Equipe Beta" not in html


def test_password_change_page_works(trainee_client):
    assert trainee_client.get(reverse("password_change")).status_code == 200


def test_logout_is_a_post(trainee_client):
    response = trainee_client.post(reverse("logout"))
    assert response.status_code == 302
    assert trainee_client.get(reverse("training:home")).status_code == 302
