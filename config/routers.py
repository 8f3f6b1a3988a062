"""Database routing: the reads of report views (``training.replica.reads_from_replica``) go to
the ``replica`` database when ``DATABASE_REPLICA_URL`` configures one; everything else, and
every write, to the primary."""

from django.db import connections

from training.replica import on_replica

REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if on_replica() and REPLICA in connections.databases:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy: any two rows may relate

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary by replication, not migrations
