from django.urls import reverse


def test_each_role_logs_in_and_finds_its_home(page, log_in, trainee, trainer, manager):
    for user, url_name in [
        (trainee, "reporting:my_modules"),
        (trainer, "reporting:authoring"),
        (manager, "reporting:dashboard"),
    ]:
        log_in(user.username)
        assert page.url.endswith(reverse(url_name)), page.url
        assert page.locator("main h1").is_visible()
        page.get_by_role("button", name="Sair").click()
        page.wait_for_url("**/accounts/login/")
