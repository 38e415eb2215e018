"""One module per dataset, each declaring ``SPEC``; ``loaders.registry`` collects them."""
