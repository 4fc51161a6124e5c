"""Every municipality starts with the shipped catalogue of activity types; its administrator
then switches types off, reorders them or adds the municipality's own."""

from earlyhelp.activities.models import CATALOGUE, ActivityType


def ensure_catalogue(municipality) -> None:
    """Add the shipped types the municipality does not have yet (by code)."""
    have = set(
        ActivityType.objects.filter(municipality=municipality).values_list("code", flat=True)
    )
    ActivityType.objects.bulk_create(
        ActivityType(
            municipality=municipality,
            code=code,
            mode=mode,
            needs_agreement=agreement,
            registration=registration,
            position=position,
        )  # fmt: skip
        for position, (code, (_name, mode, agreement, registration)) in enumerate(CATALOGUE.items())
        if code not in have
    )


def seed_new_municipality(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        ensure_catalogue(instance)
