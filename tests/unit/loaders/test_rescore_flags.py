"""Which loads trigger a rescore: only the inputs of the need scores (issue 8).

Need vs support is computed in the query layer at read time, so fund, help-desk, event and
user loads must not pay for a full rescore (seconds at 100x the demo).
"""
from loaders import DATASETS


def test_only_scoring_inputs_trigger_a_rescore():
    triggers = {name for name, spec in DATASETS.items() if spec.rescore}
    assert triggers == {"municipalities", "indicators", "indicator_values", "priorities"}


def test_operational_datasets_never_rescore():
    for name in ("fund_applications", "disbursements", "results", "helpdesk_requests",
                 "events", "participants", "users"):
        if name in DATASETS:
            assert not DATASETS[name].rescore, name
