"""Generators: seeded scripts that write input files rather than load them.

- ``demo_data``: the committed demo files in ``data/demo/`` (``python -m generators.demo_data``);
- ``assessment_sample``: synthetic KoboToolbox/ODK exports of the assessment form (the shipped
  ``data/demo/survey_sample_kobo.xlsx``, and the tests' round trips);
- ``bench_data``: the benchmark inputs, the demo grown k times (``python -m generators.bench_data 100``).

They stand outside the data flow (files → loaders → store → queries → pages): they make the files.
Nothing in hub/, loaders/, ui/ or pages/ imports them; they may import the loaders (the assessment
form is described once, in ``loaders.assessment_form``) and hub.
"""
