"""Who sees and changes what the service knows. Each part of the knowledge app declares its
rules in its own module here; importing this package (the engine's autodiscovery does) registers
them all."""

from earlyhelp.knowledge.access import catalogue, outcomes, partners, reviews  # noqa: F401
