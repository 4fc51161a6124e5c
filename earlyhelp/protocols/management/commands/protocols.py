from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from earlyhelp.core.dates import REPEATED, SKIPPED, date_bounds, local_time_kind
from earlyhelp.organisations.models import Municipality
from earlyhelp.protocols.deadlines import calendar_country, deadline_preview
from earlyhelp.protocols.models import Profile, ReporterKind
from earlyhelp.protocols.selectors import anonymous_allowed, authority_name, feedback_allowed


class Command(BaseCommand):
    help = (
        "Jurisdiction profiles. 'preview PROFILE RECEIVED_AT' prints every deadline a concern "
        "received at RECEIVED_AT would get under PROFILE: code, label, due date and time, and "
        "the rule it comes from."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        preview = commands.add_parser(
            "preview",
            help="Print the deadlines of a concern received at a given time.",
            description=(
                "Print every deadline a concern received at RECEIVED_AT would get under "
                "PROFILE, for each kind of reporter, with the condition under which it applies "
                "(immediate danger, feedback asked for). Working days follow the country's "
                "public holidays and, with --municipality, the municipality's closing days and "
                "settings; without it, earlyhelp's defaults apply."
            ),
        )
        preview.add_argument(
            "profile",
            help="HU, CZ, DK or GENERIC for the current published version, or KEY@VERSION "
            "(e.g. DK@1) for a given version, drafts included.",
        )
        preview.add_argument(
            "received_at",
            help="ISO 8601 date and time of receipt, e.g. 2026-04-03T16:30 or "
            "2026-04-03T16:30+02:00; without an offset, the time is local "
            "(settings.TIME_ZONE). A local time skipped when the clocks go forward is "
            "refused; one that happens twice when they go back needs --repeated-hour.",
        )
        preview.add_argument(
            "--repeated-hour",
            choices=["first", "second"],
            help="When RECEIVED_AT is a local time that happens twice (the night the clocks go "
            "back): 'first' for the first time (summer time), 'second' for the second (winter "
            "time).",
        )
        preview.add_argument(
            "--municipality",
            metavar="CODE",
            help="Use this municipality's settings and closing days (its code, e.g. demo-hu).",
        )
        preview.add_argument(
            "--reporter",
            choices=ReporterKind.values,
            help="Only this kind of reporter (default: every kind the profile knows).",
        )

    def handle(self, *args, subcommand, **options):
        profile = _profile(options["profile"])
        received_at = _received_at(options["received_at"], options["repeated_hour"])
        municipality = _municipality(options["municipality"])
        reporter = options["reporter"]
        if reporter and reporter not in profile.rules["reporter_kinds"]:
            raise CommandError(f"{profile.key}@{profile.version} knows no {reporter} reporters.")

        state = "published" if profile.is_published else "draft"
        self.stdout.write(f"Profile {profile.key}@{profile.version} ({state}): {profile.name}")
        self.stdout.write(f"Source: {profile.rules.get('source', '')}")
        self.stdout.write(f"Authority: {authority_name(profile)}")
        self.stdout.write(f"Received: {_when(received_at)}")
        country = calendar_country(profile, municipality) or "none (Monday to Friday)"
        place = (
            f"{municipality.name} ({municipality.code}): its settings and closing days"
            if municipality
            else "none: earlyhelp's defaults for municipal settings"
        )
        self.stdout.write(f"Calendar: {country} · Municipality: {place}")

        rows = deadline_preview(
            profile=profile,
            received_at=received_at,
            municipality=municipality,
            reporter_kind=reporter,
        )
        kinds = [reporter] if reporter else profile.rules["reporter_kinds"]
        for kind in kinds:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"Reporter: {kind} · anonymous allowed: "
                    f"{'yes' if anonymous_allowed(profile, kind) else 'no'} · feedback: "
                    f"{feedback_allowed(profile, kind)}"
                )
            )
            kind_rows = [row for row in rows if row.reporter_kind == kind]
            if not kind_rows:
                self.stdout.write("  no deadlines")
            width = max((len(row.deadline.code) for row in kind_rows), default=0)
            for row in kind_rows:
                deadline = row.deadline
                condition = f" [{row.condition}]" if row.condition else ""
                self.stdout.write(
                    f"  {deadline.code:<{width}}  {_when(deadline.due_at)}  "
                    f"{deadline.label} · {deadline.basis}{condition}"
                )


def _profile(text: str) -> Profile:
    key, _, version = text.partition("@")
    profiles = Profile.objects.filter(key=key.upper())
    if version:
        if not (version.isascii() and version.isdigit()):
            raise CommandError(f"'{version}' is not a version number: use KEY@VERSION, e.g. DK@1.")
        profile = profiles.filter(version=int(version)).first()
    else:
        profile = profiles.published().order_by("-version").first()
    if profile is None:
        known = ", ".join(
            f"{key}@{version}"
            for key, version in Profile.objects.order_by("key", "version").values_list(
                "key", "version"
            )
        )
        raise CommandError(f"No profile '{text}'. Known profiles: {known or 'none'}.")
    return profile


def _received_at(text: str, repeated_hour: str | None = None) -> datetime:
    """The moment of receipt. A local time is read with zoneinfo's fold: one that does not
    exist is refused, one that happens twice must be told apart with --repeated-hour."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"'{text}' is not an ISO 8601 date and time, e.g. 2026-04-03T16:30 or "
            "2026-04-03T16:30+02:00."
        ) from None
    earliest, latest = date_bounds()
    if not earliest <= moment.date() <= latest:
        raise CommandError(f"'{text}' is out of range: give a date from {earliest} to {latest}.")
    zone = timezone.get_default_timezone()
    if timezone.is_aware(moment):
        if repeated_hour:
            raise CommandError("--repeated-hour is for a local time; this one has an offset.")
        return moment
    kind = local_time_kind(moment, zone)
    wall = moment.strftime("%H:%M")
    if kind == SKIPPED:
        later = moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        raise CommandError(
            f"{wall} does not exist on {moment.date()} in local time: the clocks go forward an "
            f"hour that night. Give the time the clock showed, e.g. {later:%Y-%m-%dT%H:%M}."
        )
    if kind == REPEATED:
        first, second = (moment.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
        if repeated_hour is None:
            raise CommandError(
                f"{wall} happens twice on the night of {moment.date()}: the clocks go back an "
                "hour. Say which one is meant: --repeated-hour first (summer time, "
                f"{first.isoformat(timespec='minutes')}) or --repeated-hour second (winter time, "
                f"{second.isoformat(timespec='minutes')})."
            )
        return (second if repeated_hour == "second" else first).astimezone(UTC)
    if repeated_hour:
        raise CommandError(f"{wall} on {moment.date()} happens once: leave out --repeated-hour.")
    return moment.replace(tzinfo=zone)


def _municipality(code: str | None) -> Municipality | None:
    if code is None:
        return None
    municipality = Municipality.objects.select_related("jurisdiction").filter(code=code).first()
    if municipality is None:
        raise CommandError(f"No municipality with the code '{code}'.")
    return municipality


def _when(moment: datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime(
        "%a %Y-%m-%d %H:%M:%S %Z"
    )
