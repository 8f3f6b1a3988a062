"""A manager opens the certification matrix of their team and downloads it as CSV."""

from pathlib import Path

from django.urls import reverse

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
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "username,name,promessa status,promessa expires"
    assert lines[1] == f"alice,Alice Pereira,valid,{certification.expires_at.date().isoformat()}"

    row.get_by_role("link", name="Alice Pereira").click()
    page.wait_for_url(f"**{reverse('reporting:trainee', args=[trainee.pk])}")
    assert page.locator("main h1").inner_text() == "Alice Pereira"
