"""The filters of the audit-log page (and of its CSV export, which takes the same filters)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.forms import RecordNumberField
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.forms import date_field, period_in_order
from earlyhelp.core.text import plain_number

RECORD_KINDS = [
    ("people.child", _("Child")),
    ("people.adult", _("Adult")),
    ("cases.case", _("Case")),
]


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RECORD_KINDS, required=False)
    record = RecordNumberField(
        label=_("Record number"),
        required=False,
        help_text=_("The number of a child's, an adult's or a case's record."),
    )
    account = forms.CharField(
        label=_("User (account name)"), max_length=150, required=False, strip=True
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Any action"))] + list(AuditEvent.Action.choices),
        required=False,
    )
    purpose = forms.CharField(
        label=_("Purpose or reason contains"), max_length=100, required=False, strip=True
    )
    since = date_field(label=_("From"), required=False)
    until = date_field(label=_("Until"), required=False)

    def clean_record(self) -> int | None:
        value = self.cleaned_data.get("record")
        if not value:
            return None
        number = plain_number(value)
        if number is None:
            raise forms.ValidationError(RecordNumberField.default_error_messages["invalid"])
        return number

    def clean_account(self) -> str:
        value = self.cleaned_data.get("account", "")
        if "\x00" in value:
            raise forms.ValidationError(_("Type an account name."))
        return value

    def clean_purpose(self) -> str:
        value = self.cleaned_data.get("purpose", "")
        if "\x00" in value:
            raise forms.ValidationError(_("Type a word of the purpose or the reason."))
        return value

    def clean(self):
        cleaned = super().clean()
        period_in_order(self, "since", "until")
        return cleaned

    def stored(self) -> dict[str, Any]:
        """The cleaned filters as plain values (kept with an export, read back by `condition`)."""
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "people.child",
            "record": data.get("record"),
            "account": data.get("account") or "",
            "action": data.get("action") or "",
            "purpose": data.get("purpose") or "",
            "since": data["since"].isoformat() if data.get("since") else None,
            "until": data["until"].isoformat() if data.get("until") else None,
        }


def condition(filters: dict[str, Any]) -> Q:
    """The rows that match stored filters (`AuditFilterForm.stored`)."""
    q = Q()
    record = filters.get("record")
    if record is not None:
        kind = filters.get("kind") or "people.child"
        if kind == "cases.case":
            q &= Q(object_type=kind, object_id=str(record))
        else:
            q &= Q(subject=f"{kind}:{record}")
    account = filters.get("account")
    if account:
        user_id = (
            get_user_model().objects.filter(username=account).values_list("pk", flat=True).first()
        )
        q &= Q(actor_id=user_id) if user_id is not None else Q(actor_name=account)
    if filters.get("action"):
        q &= Q(action=filters["action"])
    if filters.get("purpose"):
        q &= Q(purpose__icontains=filters["purpose"])
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        day = datetime.fromisoformat(filters["since"]).date()
        q &= Q(at__gte=datetime.combine(day, time.min, tzinfo=zone))
    if filters.get("until"):
        day = datetime.fromisoformat(filters["until"]).date() + timedelta(days=1)
        q &= Q(at__lt=datetime.combine(day, time.min, tzinfo=zone))
    return q
