"""WSGI entry point for production servers.

Once the application is loaded, with every URL's view imported, what was loaded is frozen out of
the garbage collector's reach (`gc.freeze`) and the youngest generation is collected less often.
A request's objects are short-lived; without this, every few dozen requests a full collection
walks all of Django's own objects and the request that triggers it waits 100 ms or more (seen in
the benchmark on the month's XLSX log: p95 190 ms; bench/README.md).

A production server does not run Django's system checks on its own (runserver does): they run
here, so a server without what it must have (the audit key, for one) refuses to start instead of
failing on every audited request."""

import gc
import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
application = get_wsgi_application()
call_command("check", fail_level="ERROR")
get_resolver().url_patterns  # noqa: B018 (imports every view now, before the freeze)
gc.freeze()
gc.set_threshold(10_000, 20, 20)
