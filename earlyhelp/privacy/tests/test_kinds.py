"""What keeps the retention job whole as the models grow: every text field of an erased
concern is erased or declared kept, every record that names a child either keeps the child or
goes with them, and every shipped profile gives each kind of record a period it can count."""

import pytest
from django.apps import apps
from django.db import models

from earlyhelp.concerns import retention as concern_retention
from earlyhelp.concerns.models import Concern
from earlyhelp.people import retention as child_retention
from earlyhelp.people.models import Adult, Child
from earlyhelp.privacy.retention import EVENTS, RULES, kinds
from earlyhelp.protocols.models import Profile


def _free_texts(model) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    }


def test_every_free_text_of_a_concern_and_its_own_rows_is_erased_or_declared_kept():
    erased, kept = concern_retention.ERASED_FIELDS, concern_retention.KEPT_FIELDS
    own = [Concern] + [
        relation.related_model
        for relation in Concern._meta.related_objects
        if relation.related_model._meta.app_label == "concerns"
        and relation.on_delete is models.CASCADE
    ]
    # Attachments go whole (deleted with their files); deadlines and feedback hold codes and
    # the texts earlyhelp wrote (a deadline's label and basis).
    whole_or_codes = {"concernattachment", "concerndeadline", "concernfeedback"}
    for model in own:
        if model._meta.model_name in whole_or_codes:
            continue
        declared = set(erased.get(model, ())) | set(kept.get(model, ()))
        assert _free_texts(model) <= declared, (
            f"{model._meta.label}: say in concerns/retention.py whether "
            f"{sorted(_free_texts(model) - declared)} is erased or kept"
        )


def test_every_record_that_names_a_child_keeps_them_or_goes_with_them():
    declared = set(child_retention.KEEP) | set(child_retention.GOES)
    naming = {
        relation.related_model._meta.label_lower
        for relation in Child._meta.related_objects
        if relation.field.name == "child"
    }
    naming.discard("privacy.legalhold")  # a hold keeps the child by itself
    assert naming <= declared, (
        f"say in people/retention.py whether {sorted(naming - declared)} keeps a child or goes"
    )
    for label, fields in child_retention.GOES.items():
        if fields:
            assert set(fields) <= _free_texts(apps.get_model(label))
    assert set(child_retention.ERASED_FIELDS) == _free_texts(Child)


def test_every_record_that_names_an_adult_keeps_them_or_loses_its_texts_with_them():
    declared = set(child_retention.ADULT_KEEP) | set(child_retention.ADULT_GOES)
    naming = {relation.related_model._meta.label_lower for relation in Adult._meta.related_objects}
    assert naming <= declared, (
        f"say in people/retention.py whether {sorted(naming - declared)} keeps an adult or goes"
    )
    for label, (fields, _condition) in child_retention.ADULT_KEEP.items():
        model = apps.get_model(label)
        assert all(model._meta.get_field(name).related_model is Adult for name in fields), label
    assert {
        field.name
        for relation in Adult._meta.related_objects
        if relation.related_model._meta.label_lower in child_retention.ADULT_KEEP
        for field in [relation.field]
    } <= {name for fields, _q in child_retention.ADULT_KEEP.values() for name in fields}
    for label, fields in child_retention.ADULT_GOES.items():
        assert set(fields) <= _free_texts(apps.get_model(label))
    assert set(child_retention.ADULT_ERASED_FIELDS) == _free_texts(Adult)


@pytest.mark.django_db
def test_every_current_profile_gives_each_kind_a_period_its_records_can_count_from():
    registered = {kind.rule: kind for kind in kinds()}
    for key in Profile.Key.values:
        profile = Profile.objects.published().filter(key=key).order_by("-version").first()
        retention = profile.rules["retention"]
        assert set(retention) == set(RULES), key
        for rule, entry in retention.items():
            assert entry["from"] in EVENTS
            if rule in registered:
                assert entry["from"] in registered[rule].events, (key, rule)


@pytest.mark.parametrize(
    ("module", "root"),
    [
        ("earlyhelp.activities.retention", "activities.activity"),
        ("earlyhelp.contacts.retention", "contacts.arrangement"),
        ("earlyhelp.fostercare.retention", "fostercare.placement"),
        ("earlyhelp.fostercare.retention", "fostercare.household"),
    ],
)
def test_every_text_of_a_record_and_its_own_rows_is_erased_or_declared_kept(module, root):
    from importlib import import_module

    retention = import_module(module)
    model = apps.get_model(root)
    own = [model] + [
        relation.related_model
        for relation in model._meta.related_objects
        if not relation.many_to_many
        and relation.related_model._meta.app_label == model._meta.app_label
        and relation.on_delete is models.CASCADE
    ]
    for row_model in own:
        label = row_model._meta.label_lower
        declared = set(retention.ERASED_FIELDS.get(label, ())) | set(
            retention.KEPT_FIELDS.get(label, ())
        )
        missing = _free_texts(row_model) - declared
        assert not missing, f"{module}: say whether {label} {sorted(missing)} is erased or kept"
