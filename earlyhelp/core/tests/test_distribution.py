"""The rule that lets one country's installation be sharded by municipality (docs/architecture.md,
"Growing past one machine"): every table is classified as distributed, reference or local, and
every distributed table carries its municipality or reaches it through required foreign keys to
distributed tables, so that a row and the rows it belongs to always live on the same shard and
no query of a municipality's records has to join across shards."""

from django.apps import apps

# Small tables every shard holds a copy of: joined from everywhere, changed rarely.
REFERENCE = {
    "organisations.Jurisdiction",
    "organisations.Municipality",
    "protocols.Profile",
    # 60,000 staff at national scale; read on every request, referred to by every table.
    "accounts.User",
    # The screening instruments and their items: the national ones shipped with earlyhelp
    # (no municipality) beside a municipality's own, a few dozen rows in all.
    "screening.Instrument",
    "screening.Item",
}
# Tables that stay on the coordinator: about accounts and the installation, not a
# municipality's records, and never joined with them.
LOCAL = {
    "core.JobRun",
    "accounts.PasswordResetSlot",
    "api.ApiToken",
    "api.IdempotencyKey",
    "api.TokenWindow",
    "notifications.Notification",
    "notifications.WebhookSubscription",
    "notifications.WebhookDelivery",
    "audit.VerificationRun",
    "audit.AuditExport",
    "audit.AuditArchive",
}
# Distributed tables whose municipality may be empty, and why: such rows need a home of their
# own before sharding (docs/architecture.md).
NO_MUNICIPALITY_ALLOWED = {
    # A sign-in, or a list read by an account of no municipality (a national administrator).
    "audit.AuditEvent",
    # The kept digest of an erased audit row, with that row's municipality.
    "audit.ErasedContent",
}
HOPS = 3


def _ours():
    return [model for model in apps.get_models() if model.__module__.startswith("earlyhelp.")]


def _tenant_column(model):
    return next((f for f in model._meta.concrete_fields if f.attname == "municipality_id"), None)


def _distributed_parents(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation
        and not field.null
        and field.related_model._meta.label not in REFERENCE | LOCAL
        and field.related_model is not model
    ]


def _reaches_municipality(model, hops=HOPS) -> bool:
    if _tenant_column(model) is not None:
        return True
    if hops == 0:
        return False
    return any(
        _reaches_municipality(f.related_model, hops - 1) for f in _distributed_parents(model)
    )


def test_every_table_is_classified_and_every_distributed_one_reaches_its_municipality():
    labels = {model._meta.label for model in _ours()}
    assert labels >= REFERENCE | LOCAL, "a classified model no longer exists"
    # The walk itself: a chronology entry reaches it through its case; a jurisdiction does not.
    assert _reaches_municipality(apps.get_model("cases", "ChronologyEntry"))
    assert not _reaches_municipality(apps.get_model("organisations", "Jurisdiction"))
    unplaced = sorted(
        model._meta.label
        for model in _ours()
        if model._meta.label not in REFERENCE | LOCAL and not _reaches_municipality(model)
    )
    assert unplaced == [], (
        "give these a municipality column or a required foreign key to a table that has one, "
        "or classify them as reference or local here and in docs/architecture.md"
    )


def test_a_distributed_tables_municipality_is_required_unless_stated():
    optional = sorted(
        model._meta.label
        for model in _ours()
        if model._meta.label not in REFERENCE | LOCAL
        and (column := _tenant_column(model)) is not None
        and column.null
    )
    assert optional == sorted(NO_MUNICIPALITY_ALLOWED)


def test_no_local_table_is_referred_to_by_a_distributed_one():
    refers = sorted(
        f"{model._meta.label}.{field.name}"
        for model in _ours()
        if model._meta.label not in REFERENCE | LOCAL
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model._meta.label in LOCAL
    )
    assert refers == []
