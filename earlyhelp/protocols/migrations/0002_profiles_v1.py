"""Version 1 of the four shipped profiles (docs/protocols.md).

Only what the sources say is encoded as law. Every number the law leaves open is a municipal
setting whose default here is earlyhelp's choice, said so wherever it is shown. The three
jurisdictions are created if they do not exist yet, so that their profiles can name them;
undoing this migration removes the profiles and leaves the jurisdictions.

Rules are never edited once published: a change is a new migration (or admin draft) with the
next version.
"""

from django.db import migrations
from django.utils import timezone

BOTH = ["professional", "citizen"]

DK = {
    "source": "Barnets Lov (formerly Serviceloven §§ 153–155)",
    "authority": "Socialforvaltningen",
    "emergency_number": "112",
    "reporter_kinds": BOTH,
    "reporters": {
        # Professionals notify in writing and cannot be anonymous; they may afterwards be
        # told whether an investigation or measure was started and, where relevant to their
        # own support of the child, its type.
        "professional": {
            "anonymous_allowed": False,
            "written_required": True,
            "feedback": "acknowledgement_and_outcome_type",
        },
        # Citizens may notify anonymously and are told nothing further.
        "citizen": {"anonymous_allowed": True, "feedback": "none"},
    },
    "deadlines": [
        {
            "code": "danger_assessment",
            "label": (
                "Assess whether the child's health or development is in danger and urgent "
                "action is needed"
            ),
            "unit": "hours",
            "amount": 24,
            "source": "Barnets Lov",
        },
        {
            "code": "acknowledgement",
            "label": "Acknowledge receipt to the professional notifier",
            "unit": "working_days",
            "amount": 6,
            "reporter_kinds": ["professional"],
            "source": "Barnets Lov",
        },
    ],
    "settings": {},
}

CZ = {
    "source": "zákon 359/1999 Sb., o sociálně-právní ochraně dětí, § 10(4)",
    "authority": "OSPOD",
    "emergency_number": "112",
    "reporter_kinds": BOTH,
    "reporters": {
        "professional": {"anonymous_allowed": False, "feedback": "whether_at_risk_on_request"},
        "citizen": {"anonymous_allowed": False, "feedback": "whether_at_risk_on_request"},
    },
    "deadlines": [
        {
            "code": "acting",
            "label": "Act on the concern",
            "unit": "working_days",
            "setting": "acting_working_days",
            "source": "the law: report to OSPOD without undue delay, zákon 359/1999 Sb. § 10(4)",
        },
        {
            "code": "urgent_acting",
            "label": "Act on a concern in immediate danger",
            "unit": "hours",
            "setting": "urgent_acting_hours",
            "when": ["immediate_danger"],
        },
        {
            "code": "feedback_whether_at_risk",
            "label": "Tell the reporter whether the child was found to be at risk",
            "unit": "calendar_days",
            "amount": 30,
            "when": ["reporter_requested_feedback"],
            "source": "zákon 359/1999 Sb. § 10(4)",
        },
    ],
    "settings": {"acting_working_days": 2, "urgent_acting_hours": 24},
}

HU = {
    "source": "Gyvt. (1997. évi XXXI. törvény) 17. §; signalling methodology guide (2024)",
    "authority": "család- és gyermekjóléti szolgálat / központ; gyámhatóság",
    "emergency_number": "112",
    "reporter_kinds": BOTH,
    "reporters": {
        # Members of the signalling system signal in writing and cannot be anonymous; an
        # urgent signal may be oral but must be followed in writing.
        "professional": {
            "anonymous_allowed": False,
            "written_required": True,
            "oral_allowed_when_urgent": True,
            "feedback": "municipal",
        },
        "citizen": {"anonymous_allowed": False, "feedback": "municipal"},
    },
    "identity_confidential_when": ["serious_neglect_or_abuse"],
    "absence_signal": {"school_hours": 10, "kindergarten_days": 5},
    "deadlines": [
        {
            "code": "acting",
            "label": "Act on the concern",
            "unit": "working_days",
            "setting": "acting_working_days",
        },
        {
            "code": "urgent_acting",
            "label": "Act on a concern in immediate danger",
            "unit": "hours",
            "setting": "urgent_acting_hours",
            "when": ["immediate_danger"],
        },
        {
            "code": "written_follow_up",
            "label": "Written signal following an oral urgent signal",
            "unit": "working_days",
            "setting": "written_follow_up_working_days",
            "when": ["immediate_danger"],
            "reporter_kinds": ["professional"],
            "source": "Gyvt. 17. §: an urgent oral signal is followed in writing",
        },
        {
            "code": "feedback",
            "label": "Feedback to the reporter",
            "unit": "working_days",
            "setting": "feedback_working_days",
        },
    ],
    "settings": {
        "acting_working_days": 2,
        "urgent_acting_hours": 24,
        "written_follow_up_working_days": 1,
        "feedback_working_days": 10,
    },
}

GENERIC = {
    "source": "earlyhelp's generic profile: no law encoded, every number a municipal setting",
    "authority": "the statutory child-protection authority",
    "emergency_number": "112",
    "reporter_kinds": BOTH,
    "reporters": {
        "professional": {"anonymous_allowed": False, "feedback": "municipal"},
        "citizen": {"anonymous_allowed": False, "feedback": "municipal"},
    },
    "deadlines": [
        {
            "code": "acting",
            "label": "Act on the concern",
            "unit": "working_days",
            "setting": "acting_working_days",
        },
        {
            "code": "urgent_acting",
            "label": "Act on a concern in immediate danger",
            "unit": "hours",
            "setting": "urgent_acting_hours",
            "when": ["immediate_danger"],
        },
        {
            "code": "feedback",
            "label": "Feedback to the reporter",
            "unit": "working_days",
            "setting": "feedback_working_days",
        },
    ],
    "settings": {
        "acting_working_days": 2,
        "urgent_acting_hours": 24,
        "feedback_working_days": 10,
    },
}

# key: (profile name, rules, jurisdiction defaults or None)
PROFILES = {
    "DK": ("Denmark: Barnets Lov", DK, {"name": "Denmark", "default_language": "da"}),
    "CZ": ("Czech Republic: zákon 359/1999 Sb.", CZ, {"name": "Czech Republic", "default_language": "cs"}),
    "HU": ("Hungary: Gyvt. 17. §", HU, {"name": "Hungary", "default_language": "hu"}),
    "GENERIC": ("Generic: municipal settings", GENERIC, None),
}


def ship_profiles(apps, schema_editor):
    Jurisdiction = apps.get_model("organisations", "Jurisdiction")
    Profile = apps.get_model("protocols", "Profile")
    now = timezone.now()
    for key, (name, rules, jurisdiction_defaults) in PROFILES.items():
        jurisdiction = None
        if jurisdiction_defaults is not None:
            jurisdiction, _ = Jurisdiction.objects.get_or_create(
                code=key, defaults=jurisdiction_defaults
            )
        Profile.objects.get_or_create(
            key=key,
            version=1,
            defaults={
                "name": name,
                "jurisdiction": jurisdiction,
                "rules": rules,
                "published_at": now,
            },
        )


def remove_profiles(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    Profile.objects.filter(key__in=PROFILES, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("protocols", "0001_initial"),
    ]

    operations = [migrations.RunPython(ship_profiles, remove_profiles)]
