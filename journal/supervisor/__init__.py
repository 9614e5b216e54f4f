"""The supervisor's side: everything a supervisor sees, in one package.

- ``publish``: builds the redacted supervisor database from the journal.
- ``requirements``: the rules run over exactly the published rows; the monthly supervision line.
- ``serve``: runs Datasette over that file, with the site's metadata and plugins.
- ``logins``: supervisor logins kept in the journal (never in the published file).
- ``pages``: what each page shows, read from the published file only; ``report``: search and charts.
- ``routes``: where Datasette's own pages for the file send a reader (to ours).
- ``wording``, ``ranges``: dates in the practitioner's order; date ranges typed on a page.
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
