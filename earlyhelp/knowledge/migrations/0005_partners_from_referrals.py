"""The organisations that referrals named in words become the municipality's partner
organisations, and each referral points to its partner. One partner per municipality and name
(compared without case and surrounding spaces); its kind follows where the family was
referred. Reversed, the referrals lose the link (their words stay) and the partners that
nothing else points to and that hold nothing but a name are removed."""

from django.db import migrations

KIND_OF = {"authority": "authority", "health": "health", "mental_health": "health"}


def partners_from_referrals(apps, schema_editor):
    Referral = apps.get_model("cases", "Referral")
    Partner = apps.get_model("knowledge", "Partner")
    known = {
        (p.municipality_id, p.name.strip().casefold()): p.pk for p in Partner.objects.all()
    }
    rows = (
        Referral.objects.filter(partner__isnull=True)
        .exclude(organisation="")
        .values_list("pk", "case__municipality_id", "organisation", "to")
        .order_by("pk")
    )
    for pk, municipality_id, organisation, to in rows.iterator():
        name = organisation.strip()[:200]
        key = (municipality_id, name.casefold())
        if key not in known:
            known[key] = Partner.objects.create(
                municipality_id=municipality_id, name=name, kind=KIND_OF.get(to, "other")
            ).pk
        Referral.objects.filter(pk=pk).update(partner_id=known[key])


def links_removed(apps, schema_editor):
    Referral = apps.get_model("cases", "Referral")
    Partner = apps.get_model("knowledge", "Partner")
    named = set(Referral.objects.exclude(partner=None).values_list("partner_id", flat=True))
    Referral.objects.exclude(partner=None).update(partner=None)
    # Only partners as this migration made them: a name and a kind, nothing else.
    Partner.objects.filter(
        pk__in=named,
        conferences__isnull=True,
        activities__isnull=True,
        what_they_do="",
        address="",
        phone="",
        email="",
        website="",
        contact_person="",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0004_outcome_figures"),
        ("cases", "0012_methods_and_partners"),
    ]

    operations = [migrations.RunPython(partners_from_referrals, links_removed)]
