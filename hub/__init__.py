"""The hub's domain: store, queries, scoring, access, i18n, charts and maps."""
