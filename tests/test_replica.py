"""Reports read from the replica when one is configured; writes, and every other read, go to
the primary."""

from django.db import connections

from config.routers import REPLICA, ReplicaRouter
from reporting import views
from training.models import Module
from training.replica import on_replica, reads_from_replica


def test_reads_of_a_report_go_to_the_replica_only_when_there_is_one(monkeypatch):
    router = ReplicaRouter()

    @reads_from_replica
    def report():
        return router.db_for_read(Module), router.db_for_write(Module), on_replica()

    assert report() == (None, None, True), "no replica configured: the primary"
    monkeypatch.setitem(connections.databases, REPLICA, connections.databases["default"])
    assert report() == (REPLICA, None, True)
    assert router.db_for_read(Module) is None, "outside a report: the primary"
    assert not router.allow_migrate(REPLICA, "training")


def test_the_report_views_are_marked():
    for name in ["dashboard", "dashboard_trainee", "item_analysis_quiz", "coverage"]:
        assert getattr(views, name).reads_from_replica
