"""Base models shared by every app: timestamps and the optimistic version."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record that people edit: every save through `core.versioning` bumps `version`,
    and a save based on an older version is refused instead of overwriting silently."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class JobRun(models.Model):
    """One row per scheduled job (`core.jobs`): who holds it now, and how its last run went.

    `held_until` is a lease: a run takes the job by setting it, in one conditional UPDATE, only
    when nobody holds it or the holder's lease has run out (a process killed mid-run), so two
    workers given the same job at once run it once."""

    name = models.CharField(_("job"), max_length=60, primary_key=True)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    succeeded = models.BooleanField(_("last run succeeded"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")

    def __str__(self) -> str:
        return self.name
