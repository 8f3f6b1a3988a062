from django.urls import reverse

from tests.factories import ProcedureFactory


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


def test_a_procedure_counts_as_read_when_its_end_is_reached(page, log_in, trainee):
    from training.models import ProcedureRead

    procedure = ProcedureFactory(guidance="Informe o prazo.\n\n" + "Parágrafo longo. " * 400)
    log_in("alice")
    page.set_viewport_size({"width": 800, "height": 500})
    page.goto(reverse("training:procedure_detail", args=[procedure.module.slug, procedure.slug]))
    page.wait_for_timeout(300)
    assert not ProcedureRead.objects.exists()  # opened, not read
    page.locator("#read-mark").scroll_into_view_if_needed()
    page.locator("#read-mark [role=status]").wait_for()
    assert ProcedureRead.objects.filter(trainee=trainee, procedure=procedure).exists()
