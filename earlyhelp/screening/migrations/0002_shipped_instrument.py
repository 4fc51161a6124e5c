"""The wellbeing instrument shipped with earlyhelp: seven items, each rated green, amber or red;
worded in each language by their codes (`screening.catalogue`)."""

from django.db import migrations

ITEMS = ["mood", "belonging", "care", "attendance", "behaviour", "learning", "safety"]


def ship(apps, schema_editor):
    Instrument = apps.get_model("screening", "Instrument")
    Item = apps.get_model("screening", "Item")
    instrument, created = Instrument.objects.get_or_create(
        municipality=None, code="wellbeing", defaults={"scale": "traffic_light", "amber_flags": 2}
    )
    if created:
        Item.objects.bulk_create(
            Item(instrument=instrument, code=code, position=position)
            for position, code in enumerate(ITEMS)
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
