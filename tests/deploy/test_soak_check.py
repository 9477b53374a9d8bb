"""The checker of the soak test (bench/soak_check.py, `make soak`) catches what it is for:
a write the server acknowledged that is not in the database, and memory that grows.
Pure functions on made-up logs and samples: no topology, no database."""

from bench import soak_check


def indicator_write(score: str, account: str, *, application=7, indicator=3, state="ack", id="") -> dict:
    return {
        "kind": "indicator",
        "application": application,
        "indicator": indicator,
        "score": score,
        "account": account,
        "state": state,
        "id": id or account,
    }


def lookup_in(database: dict):
    """`stored` over a dict standing for the database: {(application, indicator): (score, account)}."""

    def stored(record):
        saved = database.get((record["application"], record["indicator"]))
        if saved is None:
            return False, "no such row"
        found = soak_check.same_score(record["score"], saved[0]) and saved[1] == record["account"]
        return found, f"{saved}"

    return stored


def test_verify_writes_passes_when_every_last_write_is_stored():
    writes = [indicator_write("3", "first"), indicator_write("4.5", "second"), indicator_write("2", "x", indicator=4)]
    database = {(7, 3): ("4.50", "second"), (7, 4): ("2.00", "x")}

    result = soak_check.verify_writes(writes, lookup_in(database))

    assert result == {
        "indicator": {"sent": 0, "acknowledged": 3, "rows": 2, "verified": 2, "superseded": 0, "lost": []}
    }


def test_verify_writes_catches_a_lost_write():
    writes = [indicator_write("3", "first"), indicator_write("4.5", "second")]
    # The database still holds the first save: the acknowledged second one was lost.
    database = {(7, 3): ("3", "first")}

    result = soak_check.verify_writes(writes, lookup_in(database))

    assert result["indicator"]["verified"] == 0
    assert result["indicator"]["lost"] == [{"write": writes[1], "database": "('3', 'first')"}]


def test_verify_writes_accepts_a_later_unanswered_write():
    # The second save was sent and never answered (the test stopped while it was in flight),
    # but the server saved it: the acknowledged first one was replaced by its own author.
    writes = [
        indicator_write("3", "first", state="sent"),
        indicator_write("3", "first"),
        indicator_write("4", "second", state="sent"),
    ]
    database = {(7, 3): ("4.00", "second")}

    result = soak_check.verify_writes(writes, lookup_in(database))

    assert result["indicator"]["superseded"] == 1
    assert result["indicator"]["lost"] == []


def test_verify_writes_does_not_excuse_an_earlier_unanswered_write():
    # A write that was sent before the acknowledged one cannot stand for it.
    writes = [indicator_write("4", "early", state="sent"), indicator_write("3", "first")]
    database = {(7, 3): ("4.00", "early")}

    result = soak_check.verify_writes(writes, lookup_in(database))

    assert result["indicator"]["lost"] == [{"write": writes[1], "database": "('4.00', 'early')"}]


def test_verify_writes_catches_a_missing_row():
    writes = [indicator_write("1", "only", indicator=9)]

    result = soak_check.verify_writes(writes, lookup_in({}))

    assert result["indicator"]["lost"] == [{"write": writes[0], "database": "no such row"}]


def test_same_score_reads_typed_and_stored_scores_alike():
    assert soak_check.same_score("4", "4.00") is True
    assert soak_check.same_score("3.5", "3.50") is True
    assert soak_check.same_score("3.5", "3.00") is False
    assert soak_check.same_score("", None) is True
    assert soak_check.same_score("2", None) is False


def samples(*values_mib: float, every: float = 10) -> list[dict]:
    return [{"t": n * every, "workers_kib": int(mib * 1024)} for n, mib in enumerate(values_mib)]


def test_memory_verdict_flat_after_warm_up():
    # Grows while warming up (first minute), then stays; a drop (a worker replaced) is fine.
    series = samples(300, 340, 370, 390, 400, 400, 402, 405, 404, 380, 401)

    verdict = soak_check.memory_verdict(series)

    assert verdict["flat"] is True
    assert verdict["first_kib"] == 300 * 1024
    assert verdict["reference_kib"] == 402 * 1024
    assert verdict["last_kib"] == 401 * 1024
    assert verdict["max_kib"] == 405 * 1024


def test_memory_verdict_catches_growth():
    series = samples(300, 340, 370, 390, 400, 400, 402, 420, 440, 460, 480)

    verdict = soak_check.memory_verdict(series)

    assert verdict["flat"] is False
    assert verdict["reference_kib"] == 402 * 1024
    assert verdict["last_kib"] == 480 * 1024


def test_memory_verdict_without_samples_is_not_flat():
    assert soak_check.memory_verdict([]) == {"samples": 0, "flat": False, "reason": "no memory sample"}


def test_requests_verdict_needs_requests_and_no_failure():
    assert soak_check.requests_verdict({"total": {"requests": 10, "failures": 0}})["ok"] is True
    assert soak_check.requests_verdict({"total": {"requests": 10, "failures": 1}})["ok"] is False
    assert soak_check.requests_verdict({})["ok"] is False


def test_worker_restarts_counts_new_worker_pids():
    series = [
        {"servers": {"app-1": {"workers": {"11": 1, "12": 1}}}},
        {"servers": {"app-1": {"workers": {"11": 1, "13": 1}}}},
        {"servers": {"app-1": {"workers": {"14": 1, "13": 1}}}},
    ]

    assert soak_check.worker_restarts(series) == 2
