"""A manager opens the certification matrix of their team and downloads it as CSV."""

from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from tests.factories import CertificationFactory, ModuleFactory


def test_a_manager_opens_the_matrix_and_downloads_the_csv(page, log_in, manager, trainee):
    trainee.first_name, trainee.last_name = "Alice", "Pereira"
    trainee.save()
    module = ModuleFactory(title="Promessa de pagamento", slug="promessa")
    certification = CertificationFactory(trainee=trainee, module=module)

    log_in(manager.username)
    assert page.url.endswith(reverse("reporting:dashboard")), page.url

    matrix = page.locator("#matrix table")
    row = matrix.locator("tbody tr", has_text="Alice Pereira")
    assert row.count() == 1
    assert row.locator(".badge.text-bg-success").count() == 1
    assert "Promessa de pagamento" in matrix.locator("thead").inner_text()

    with page.expect_download() as info:
        page.locator(f"a[href='{reverse('reporting:matrix_csv')}']").click()
    download = info.value
    assert download.suggested_filename == "certification-matrix.csv"
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "username,name,promessa status,promessa expires"
    expires = timezone.localdate(certification.expires_at).isoformat()
    assert lines[1] == f"alice,Alice Pereira,valid,{expires}"

    row.get_by_role("link", name="Alice Pereira").click()
    page.wait_for_url(f"**{reverse('reporting:trainee', args=[trainee.pk])}")
    assert page.locator("main h1").inner_text() == "Alice Pereira"


def test_a_manager_goes_from_the_most_missed_behaviour_to_the_exact_turn(
    page, log_in, manager, trainee, client
):
    from tests.reporting.test_coaching import break_the_rule
    from tests.scenarios.calls import make_call

    trainee.first_name, trainee.last_name = "Alice", "Pereira"
    trainee.save()
    run = break_the_rule(client, trainee, make_call())

    log_in(manager.username)
    missed = page.locator("section[aria-labelledby='missed-heading']")
    missed.get_by_role("link", name="Registrar sem verificar a aptidão").click()
    page.wait_for_url("**/dashboard/behaviours/TESTE.SEM_VERIFICAR/")
    row = page.locator("tbody tr", has_text="Alice Pereira")
    assert row.locator("td").nth(1).inner_text() == "1"
    row.get_by_role("link", name="Abrir o turno").click()
    page.wait_for_url(f"**/dashboard/trainees/{trainee.pk}/call/{run.pk}/#turn-1")
    turn = page.locator("#turn-1")
    assert turn.is_visible()
    assert "Já registro a promessa." in turn.inner_text()
