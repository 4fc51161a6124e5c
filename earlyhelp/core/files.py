"""Stored files that carry their own checksum, so that a restore can prove the attachment store
came back whole (`core.backups`, docs/operations.md "Backups and restore").

Every file field of earlyhelp is a `HashedFileField`, with a `<name>_sha256` column declared
right after it: whenever new content is stored, the field writes the content's SHA-256 there,
and when the file is removed it empties it. A test keeps plain `FileField`s out.
"""

from __future__ import annotations

import hashlib

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.fields.files import FieldFile


def sha256_of(content) -> str:
    """The hex SHA-256 of a file-like object's content, read in chunks from its start."""
    digest = hashlib.sha256()
    if hasattr(content, "seek"):
        content.seek(0)
    chunks = (
        content.chunks() if hasattr(content, "chunks") else iter(lambda: content.read(65536), b"")
    )
    for chunk in chunks:
        digest.update(chunk if isinstance(chunk, bytes) else chunk.encode())
    if hasattr(content, "seek"):
        content.seek(0)
    return digest.hexdigest()


class HashedFieldFile(FieldFile):
    def save(self, name, content, save=True):
        # Before the storage reads it: both paths into storage come here (the field's pre_save
        # for a file assigned to the instance, and `instance.<field>.save(...)`).
        setattr(self.instance, self.field.hash_attname, sha256_of(content))
        super().save(name, content, save)

    save.alters_data = True

    def delete(self, save=True):
        setattr(self.instance, self.field.hash_attname, "")
        super().delete(save)

    delete.alters_data = True


class HashedFileField(models.FileField):
    """A `FileField` that keeps the SHA-256 of what it stored in `<name>_sha256`."""

    attr_class = HashedFieldFile

    @property
    def hash_attname(self) -> str:
        return f"{self.name}_sha256"

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_hash_field()]

    def _check_hash_field(self):
        try:
            sibling = self.model._meta.get_field(self.hash_attname)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"{self.model.__name__}.{self.name} keeps its checksum in "
                    f"'{self.hash_attname}', which the model does not have.",
                    hint="Add models.CharField(max_length=64, blank=True, editable=False).",
                    obj=self,
                    id="earlyhelp.E101",
                )
            ]
        if sibling.creation_counter < self.creation_counter:
            # The columns' values are collected in declaration order, and the checksum is known
            # only once this field has stored the file.
            return [
                checks.Error(
                    f"'{self.hash_attname}' must be declared after {self.name}.",
                    obj=self,
                    id="earlyhelp.E102",
                )
            ]
        return []


def delete_files_on_commit(rows, field_name: str) -> None:
    """Remove the stored files of `rows` (a queryset) once the transaction commits: a rollback
    keeps both the rows and their files."""
    storage = rows.model._meta.get_field(field_name).storage
    for name in rows.values_list(field_name, flat=True):
        if name:
            transaction.on_commit(lambda name=name: storage.delete(name))


def fill_checksums(app_label: str, model_name: str, field_name: str):
    """A migration step that writes the checksum of every stored file that has none yet. A
    file missing from the store keeps an empty checksum; the restore check names it."""

    def fill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        manager = model._default_manager.using(schema_editor.connection.alias)
        field = model._meta.get_field(field_name)
        storage, hash_name = field.storage, field.hash_attname
        rows = manager.exclude(**{field_name: ""}).filter(**{hash_name: ""})
        for pk, name in rows.values_list("pk", field_name).iterator():
            if not storage.exists(name):
                continue
            with storage.open(name, "rb") as handle:
                manager.filter(pk=pk).update(**{hash_name: sha256_of(handle)})

    return fill
