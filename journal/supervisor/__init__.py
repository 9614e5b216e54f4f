"""The supervisor's side: everything a supervisor sees, in one package.

- ``publish``: builds the redacted supervisor database from the journal.
- ``serve``: runs Datasette over that file, with the site's metadata and plugins.
- ``logins``: supervisor logins kept in the journal (never in the published file).
- ``report``: what the pages show, read from the published file only.
- ``charts``: small SVG charts drawn without JavaScript.
- ``markup``: reflections' headings and paragraphs as safe HTML.
- ``access``: which URLs are closed, and which are open without a login.
- ``gate``: the ASGI gate before every request (host, method, credentials, session, security headers).
- ``site``: signing in, with ``passwords`` (hashes checked off the event loop), ``sessions`` (expiring),
  ``throttle`` (growing delays after failures) and ``hosts`` (the Host names answered).
- ``csv_cells``: CSV cells a spreadsheet would run as formulas, neutralised.
- ``resources``: where an install keeps ``data/`` and ``datasette_plugins/``.

It imports the journal's library, never ``journal.commands``; importing the package imports nothing
heavy (Datasette is imported inside the functions that need it).
"""
