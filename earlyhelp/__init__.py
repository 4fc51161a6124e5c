"""earlyhelp: social work in kindergartens and schools."""
