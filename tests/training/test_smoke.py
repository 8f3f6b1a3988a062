from django.urls import reverse


def test_a_trainee_lands_on_my_modules(trainee_client):
    response = trainee_client.get(reverse("training:home"))
    assert response.status_code == 302
    assert response.url == reverse("training:my_modules")
    assert trainee_client.get(response.url).status_code == 200
