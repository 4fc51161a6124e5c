from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SampledataConfig(AppConfig):
    """Demo data and the benchmark generator: above every capability, each of which contributes
    its own slice (`demo/<capability>.py`, `bench/<capability>.py`); nothing imports it."""

    name = "earlyhelp.sampledata"
    verbose_name = _("Sample data")
