"""Browser tests: earlyhelp in Debian's Chromium, driven by Playwright, checked by axe-core."""
