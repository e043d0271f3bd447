"""
How bench/load_faults.py judges a run (the run itself needs root and restarts
PostgreSQL, so CI runs it as a separate step, not in the test suite).
"""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "load_faults", Path(__file__).resolve().parent.parent / "bench" / "load_faults.py"
)
load_faults = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load_faults)

KILLED_AT, DOWN_AT, READY_AT = 15.0, 25.0, 28.0


def phases():
    return [
        load_faults.Phase("baseline", 0.0, 10.0),
        load_faults.Phase("worker killed", 10.0, 20.0),
        load_faults.Phase("db restart", 20.0, 32.0),
        load_faults.Phase("after", 32.0, 42.0),
    ]


def run(*failures: float):
    """One request every 0.1 s for 42 s; those starting at `failures` fail."""
    results = [
        load_faults.Result(tenth / 10, 0.05, round(tenth / 10, 1) not in failures, "200")
        for tenth in range(420)
    ]
    judged = phases()
    load_faults.judge(judged, results, KILLED_AT, DOWN_AT, READY_AT)
    return {phase.name: phase.recovered for phase in judged}


def test_a_clean_run_recovers_everywhere():
    assert all(run().values())


def test_requests_in_flight_at_the_kill_and_during_the_outage_may_fail():
    assert all(run(14.9, 15.0, 25.0, 26.5, 27.9).values())


@pytest.mark.parametrize(
    ("failure", "phase"),
    [(3.0, "baseline"), (16.0, "worker killed"), (30.0, "db restart"), (35.0, "after")],
)
def test_errors_outside_the_faults_mean_the_site_did_not_recover(failure, phase):
    judged = run(failure)
    assert judged[phase] is False
    assert sum(not recovered for recovered in judged.values()) == 1
