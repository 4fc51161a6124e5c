"""Everyone sees their own notifications only; opening another person's answers 404."""

from earlyhelp.notifications.models import Notification
from earlyhelp.tests.matrix import Expect, answers, url
from earlyhelp.tests.personas import ROLES


def notification(w, inside: bool) -> int:
    """Inside: one addressed to the role's own account (the matrix signs in with it);
    outside: one addressed to the same role in municipality B."""
    owner = w.users if inside else w.outsiders
    first = None
    for role in ROLES:
        created = Notification.objects.create(
            recipient=owner[role],
            kind="new_concern",
            url="/concerns/queue/",
            dedupe_key=f"matrix:{inside}:{role}",
        )
        first = first or created
    return first.pk


EXPECTATIONS = {
    "notifications:list": Expect(url("notifications:list"), answers(200)),
    # Inside: the notification belongs to the educator of A; only that account may open it.
    "notifications:open": Expect(
        url("notifications:open", pk=notification),
        answers(404, educator=302),
        answers(404),
        method="post",
    ),
}
