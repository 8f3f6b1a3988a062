from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Curriculum and results")

    def ready(self) -> None:
        from training import audit, lookups

        audit.connect()
        lookups.register()
