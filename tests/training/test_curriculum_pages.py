"""The trainee's reading pages: the manual's modules with how much each holds, a module's
procedures, and a procedure's guidance with its behaviours grouped by kind."""

import pytest
from django.urls import reverse

from tests.factories import BehaviorFactory, ModuleFactory, ProcedureFactory
from training.models import Behavior

# Session, user, and the user's permissions for the role-aware navigation.
BASE_QUERIES = 4


def curriculum(modules: int, procedures: int = 2, behaviors: int = 3):
    created = []
    for _ in range(modules):
        module = ModuleFactory()
        for _ in range(procedures):
            procedure = ProcedureFactory(module=module)
            BehaviorFactory.create_batch(behaviors, procedure=procedure)
        created.append(module)
    return created


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("training:module_list", []),
        ("training:module_detail", ["atendimento"]),
        ("training:procedure_detail", ["atendimento", "sondagem"]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_an_unknown_module_is_not_found(trainee_client):
    assert (
        trainee_client.get(reverse("training:module_detail", args=["nao-existe"])).status_code
        == 404
    )


def test_an_unknown_procedure_is_not_found(trainee_client):
    module = ModuleFactory()
    url = reverse("training:procedure_detail", args=[module.slug, "nao-existe"])
    assert trainee_client.get(url).status_code == 404


def test_a_procedure_is_not_found_under_another_module(trainee_client):
    procedure = ProcedureFactory()
    other = ModuleFactory()
    url = reverse("training:procedure_detail", args=[other.slug, procedure.slug])
    assert trainee_client.get(url).status_code == 404


# --- module list ----------------------------------------------------------------------------


def test_the_module_list_shows_how_much_each_module_holds(trainee_client):
    module = ModuleFactory(title="Promessa de pagamento", summary="Quem pode receber.")
    for _ in range(2):
        BehaviorFactory.create_batch(3, procedure=ProcedureFactory(module=module))

    response = trainee_client.get(reverse("training:module_list"))

    html = response.content.decode()
    assert "Promessa de pagamento" in html
    assert "Quem pode receber." in html
    assert module.get_absolute_url() in html
    assert response.context["modules"][0].procedure_count == 2
    assert response.context["modules"][0].behavior_count == 6


def test_the_module_list_follows_the_module_order(trainee_client):
    ModuleFactory(title="Segundo", order=2)
    ModuleFactory(title="Primeiro", order=1)
    html = trainee_client.get(reverse("training:module_list")).content.decode()
    assert html.index("Primeiro") < html.index("Segundo")


def test_the_module_list_without_a_curriculum_says_how_to_load_one(trainee_client):
    html = trainee_client.get(reverse("training:module_list")).content.decode()
    assert "load_curriculum" in html


@pytest.mark.parametrize("modules", [1, 5])
def test_the_module_list_query_count_does_not_grow_with_modules(
    trainee_client, django_assert_num_queries, modules
):
    curriculum(modules)
    with django_assert_num_queries(BASE_QUERIES + 1):
        assert trainee_client.get(reverse("training:module_list")).status_code == 200


# --- module page ----------------------------------------------------------------------------


def test_the_module_page_lists_its_procedures_in_order_with_their_counts(trainee_client):
    module = ModuleFactory(title="Mudança de endereço")
    second = ProcedureFactory(module=module, title="Taxa de mudança", order=2)
    first = ProcedureFactory(module=module, title="Viabilidade técnica", order=1)
    BehaviorFactory(procedure=first, kind=Behavior.Kind.PROBE)
    BehaviorFactory(procedure=first, kind=Behavior.Kind.ACTION)
    BehaviorFactory(procedure=first, kind=Behavior.Kind.VIOLATION)
    BehaviorFactory(procedure=second, kind=Behavior.Kind.DISCLOSURE)

    response = trainee_client.get(reverse("training:module_detail", args=[module.slug]))

    html = response.content.decode()
    assert html.index("Viabilidade técnica") < html.index("Taxa de mudança")
    assert reverse("training:procedure_detail", args=[module.slug, first.slug]) in html
    shown = response.context["module"].procedures.all()
    assert [(p.behavior_count, p.violation_count, p.action_count) for p in shown] == [
        (3, 1, 1),
        (1, 0, 0),
    ]
    assert response.context["module"].procedure_count == 2


def test_a_module_without_procedures_still_renders(trainee_client):
    module = ModuleFactory()
    response = trainee_client.get(reverse("training:module_detail", args=[module.slug]))
    assert response.status_code == 200
    assert not response.context["module"].procedures.all()


@pytest.mark.parametrize("procedures", [1, 6])
def test_the_module_page_query_count_does_not_grow_with_procedures(
    trainee_client, django_assert_num_queries, procedures
):
    (module,) = curriculum(1, procedures=procedures)
    with django_assert_num_queries(BASE_QUERIES + 2):
        response = trainee_client.get(reverse("training:module_detail", args=[module.slug]))
    assert response.status_code == 200


# --- procedure page -------------------------------------------------------------------------


def test_the_procedure_page_shows_the_guidance_as_safe_markdown(trainee_client):
    procedure = ProcedureFactory(guidance="Informe o **prazo**.\n\n<script>alert(1)</script>")
    BehaviorFactory(procedure=procedure)

    url = reverse("training:procedure_detail", args=[procedure.module.slug, procedure.slug])
    html = trainee_client.get(url).content.decode()

    assert "Informe o <strong>prazo</strong>." in html
    assert "<script>alert(1)</script>" not in html


def test_the_procedure_page_groups_behaviours_by_kind_with_never_do_first(trainee_client):
    procedure = ProcedureFactory()
    BehaviorFactory(procedure=procedure, kind=Behavior.Kind.PROBE, label="Solicitar o CEP")
    BehaviorFactory(procedure=procedure, kind=Behavior.Kind.DISCLOSURE, label="Informar o IGPM")
    BehaviorFactory(
        procedure=procedure,
        kind=Behavior.Kind.VIOLATION,
        label="Registrar promessa sem aptidão",
        manual_quote="Não registre a promessa se o cliente não estiver apto.",
    )

    url = reverse("training:procedure_detail", args=[procedure.module.slug, procedure.slug])
    response = trainee_client.get(url)

    groups = [(g.key, [b.label for b in g.behaviors]) for g in response.context["behavior_groups"]]
    assert groups == [
        ("violation", ["Registrar promessa sem aptidão"]),
        ("disclosure", ["Informar o IGPM"]),
        ("probe", ["Solicitar o CEP"]),
    ]
    html = response.content.decode()
    assert 'id="group-violation"' in html
    assert "Não registre a promessa se o cliente não estiver apto." in html


def test_the_procedure_page_links_to_the_next_and_previous_procedures(trainee_client):
    module = ModuleFactory()
    first, second, third = (ProcedureFactory(module=module, order=n) for n in (1, 2, 3))
    for procedure in (first, second, third):
        BehaviorFactory(procedure=procedure)

    url = reverse("training:procedure_detail", args=[module.slug, second.slug])
    response = trainee_client.get(url)

    assert (response.context["previous"], response.context["following"]) == (first, third)
    html = response.content.decode()
    assert reverse("training:procedure_detail", args=[module.slug, third.slug]) in html


@pytest.mark.parametrize("siblings, behaviors", [(1, 1), (6, 8)])
def test_the_procedure_page_query_count_does_not_grow(
    trainee_client, django_assert_num_queries, siblings, behaviors
):
    (module,) = curriculum(1, procedures=siblings, behaviors=behaviors)
    procedure = module.procedures.first()
    url = reverse("training:procedure_detail", args=[module.slug, procedure.slug])
    # +1: the trainee's reading of the procedure is recorded (one conflict-ignoring insert).
    with django_assert_num_queries(BASE_QUERIES + 4):
        assert trainee_client.get(url).status_code == 200
