"""What the soak test (`make soak`, bench/soak.py) must show, checked after the run:

1. No error: locust counted requests and not one failure (soak-locust.json).
2. No lost write: every write the server acknowledged (soak-writes.jsonl) is in the
   database. Where one person saved the same row several times (autosave), the last
   acknowledged value is the one that must be there: nobody else writes to that row
   (bench/soak_setup.py gives each row to one person), so anything else means a write
   was lost or overwritten, unless it is a later write of that person that was sent and
   never answered (verify_writes). An uploaded file must also be in the storage, at its
   size.
3. Flat memory: the resident memory of the application servers' gunicorn workers
   (their sum, sampled every 10 s by bench/soak.py from /proc: soak-memory.jsonl) at
   the last sample is at most 10 % above the reference, the first sample taken after
   the first minute (the warm-up: imports, caches, connection pools filling). A drop
   is no leak (gunicorn replaces a worker after --max-requests, and a new one starts
   small), so only growth counts.

    soak_check.py DIR      read DIR's files (the topology folder), print the figures,
                           write bench/soak-results.json; exit 1 when a check fails

Run with the env of the topology loaded (the database and storage of the run).
"""

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
RESULTS = BASE_DIR / "bench" / "soak-results.json"
WARMUP_SECONDS = 60
MEMORY_TOLERANCE = 0.10


# Pure functions (tests/deploy/test_soak_check.py) ------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_key(record: dict) -> tuple:
    """The row a logged write goes to: later writes to the same row replace earlier ones."""
    kind = record["kind"]
    if kind == "indicator":
        return (kind, record["application"], record["indicator"])
    if kind == "score":
        return (kind, record["sheet"], record["indicator"])
    if kind == "upload":
        return (kind, record["user"], record["title"])
    if kind in ("register", "review"):
        return (kind, record["application"])
    raise ValueError(f"unknown kind of write: {kind}")


def verify_writes(records: list[dict], stored: Callable[[dict], tuple[bool, str]]) -> dict:
    """Each row's last acknowledged write (state "ack"; a record without a state is one),
    looked up with `stored(record) -> (found, what the database holds)`. When the row
    holds something else, it may hold a write sent after that one and never answered
    (it failed, or the test stopped while it was in flight): saved, but not acknowledged,
    so nothing acknowledged was lost ("superseded"). Anything else is a lost write.

    Returns per kind: writes sent, acknowledged, rows, rows verified, rows superseded by
    an unanswered later write, and the lost ones (what was acknowledged, what is there)."""
    acknowledged_ids = {record.get("id") for record in records if record.get("state", "ack") == "ack"}
    by_kind: dict[str, dict] = {}
    last_ack: dict[tuple, dict] = {}
    unanswered_after: dict[tuple, list[dict]] = {}
    for record in records:
        kind = by_kind.setdefault(
            record["kind"], {"sent": 0, "acknowledged": 0, "rows": 0, "verified": 0, "superseded": 0, "lost": []}
        )
        key = write_key(record)
        if record.get("state", "ack") == "ack":
            kind["acknowledged"] += 1
            last_ack[key] = record
            unanswered_after[key] = []
        else:
            kind["sent"] += 1
            if record.get("id") not in acknowledged_ids and key in last_ack:
                unanswered_after[key].append(record)
    for key, record in last_ack.items():
        kind = by_kind[record["kind"]]
        kind["rows"] += 1
        found, holds = stored(record)
        if found:
            kind["verified"] += 1
        elif any(stored(later)[0] for later in unanswered_after[key]):
            kind["superseded"] += 1
        else:
            kind["lost"].append({"write": record, "database": holds})
    return by_kind


def same_score(logged: str | None, saved) -> bool:
    """A score as typed ("3.5", "4") and as stored (Decimal("3.50"), None) are the same?"""
    if logged in (None, ""):
        return saved is None
    if saved is None:
        return False
    try:
        return Decimal(str(logged)) == Decimal(str(saved))
    except InvalidOperation:
        return False


def memory_verdict(
    samples: list[dict], *, warmup_seconds: float = WARMUP_SECONDS, tolerance: float = MEMORY_TOLERANCE
) -> dict:
    """First, reference (first sample at or after the warm-up; the last one when the run
    was shorter), last and largest total worker RSS in KiB, and whether the memory is
    flat: last ≤ reference × (1 + tolerance)."""
    series = [(sample["t"], sample["workers_kib"]) for sample in samples if sample.get("workers_kib")]
    if not series:
        return {"samples": 0, "flat": False, "reason": "no memory sample"}
    reference = next((kib for t, kib in series if t >= warmup_seconds), series[-1][1])
    last = series[-1][1]
    return {
        "samples": len(series),
        "first_kib": series[0][1],
        "reference_kib": reference,
        "last_kib": last,
        "max_kib": max(kib for _t, kib in series),
        "growth": round(last / reference - 1, 4),
        "flat": last <= reference * (1 + tolerance),
        "rule": f"last ≤ {1 + tolerance:.2f} × the first sample after {warmup_seconds:g} s",
    }


def worker_restarts(samples: list[dict]) -> int:
    """Workers that appeared after the first sample (gunicorn's --max-requests recycling)."""
    seen, first = set(), None
    for sample in samples:
        pids = {pid for server in sample.get("servers", {}).values() for pid in server["workers"]}
        if first is None:
            first = pids
        seen |= pids
    return len(seen - (first or set()))


def requests_verdict(summary: dict) -> dict:
    total = summary.get("total", {})
    return {**total, "ok": total.get("requests", 0) > 0 and total.get("failures", 1) == 0}


# The database (the env of the topology) ---------------------------------------------------


def database_lookup() -> Callable[[dict], tuple[bool, str]]:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.storage import default_storage

    from accounts.models import User
    from applications.models import Application, ApplicationIndicator, Review
    from inspections.models import SheetScore
    from materials.models import MaterialVersion

    def indicator(record):
        row = ApplicationIndicator.objects.filter(
            application_id=record["application"], indicator_id=record["indicator"]
        ).first()
        if row is None:
            return False, "no such row"
        found = same_score(record["score"], row.score) and row.account == record["account"]
        return found, f"score {row.score}, account {row.account[:40]!r}"

    def score(record):
        row = SheetScore.objects.filter(sheet_id=record["sheet"], indicator_id=record["indicator"]).first()
        if row is None:
            return False, "no such row"
        found = same_score(record["score"], row.score) and row.comment == record["comment"]
        return found, f"score {row.score}, comment {row.comment[:40]!r}"

    def upload(record):
        unit = User.objects.filter(pk=record["user"]).values_list("organisation_id", flat=True).first()
        version = (
            MaterialVersion.objects.filter(material__unit_id=unit, material__title=record["title"])
            .order_by("pk")
            .first()
        )
        if version is None:
            return False, "no material with this title"
        if version.original_name != record["name"] or version.size != record["size"]:
            return False, f"{version.original_name}, {version.size} bytes"
        if not default_storage.exists(version.file.name) or default_storage.size(version.file.name) != record["size"]:
            return False, f"{version.file.name} missing or of another size in the storage"
        return True, version.file.name

    def register(record):
        application = Application.objects.select_related("campaign").filter(pk=record["application"]).first()
        code = application.registration_code if application else ""
        return code == record.get("code"), f"registration {code or 'none'}"

    def review(record):
        found = Review.objects.filter(
            application_id=record["application"],
            reviewer_id=record["reviewer"],
            decision=record["decision"],
            reason=record["reason"],
        ).exists()
        return found, "review recorded" if found else "no such review"

    lookups = {"indicator": indicator, "score": score, "upload": upload, "register": register, "review": review}
    return lambda record: lookups[record["kind"]](record)


# The report ----------------------------------------------------------------------------------


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__)
        return 2
    directory = Path(argv[0])
    summary = (
        json.loads((directory / "soak-locust.json").read_text()) if (directory / "soak-locust.json").exists() else {}
    )
    writes = read_jsonl(directory / "soak-writes.jsonl")
    samples = read_jsonl(directory / "soak-memory.jsonl")
    requests = requests_verdict(summary)
    checked = verify_writes(writes, database_lookup())
    memory = memory_verdict(samples)
    lost = sum(len(kind["lost"]) for kind in checked.values())
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"nproc": os.cpu_count(), "load_at_check": [round(x, 2) for x in os.getloadavg()]},
        "settings": {
            name: os.environ.get(name, "")
            for name in ("SOAK_USERS", "SOAK_SECONDS", "SOAK_SPAWN_RATE", "SOAK_WAIT", "GUNICORN_WORKERS")
        },
        "requests": requests,
        "duration_s": summary.get("duration_s"),
        "by_name": summary.get("by_name", {}),
        "errors": summary.get("errors", []),
        "writes": {
            kind: {name: value for name, value in figures.items() if name != "lost"} | {"lost": len(figures["lost"])}
            for kind, figures in checked.items()
        },
        "lost_writes": [item for kind in checked.values() for item in kind["lost"]][:50],
        "memory": memory,
        "worker_restarts": worker_restarts(samples),
        "memory_samples": [{"t": s["t"], "workers_kib": s["workers_kib"], "load": s.get("load")} for s in samples],
    }
    result["passed"] = bool(requests["ok"] and writes and lost == 0 and memory["flat"])
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print_report(result)
    return 0 if result["passed"] else 1


def print_report(result: dict) -> None:
    requests = result["requests"]
    print(
        f"\nSoak test, {result['date']}: {requests.get('requests', 0)} requests in {result['duration_s']} s, "
        f"{requests.get('failures', 'no figures:')} failures, p50 {requests.get('p50_ms')} ms, p99 {requests.get('p99_ms')} ms"
    )
    print("\n| requests | count | failures | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|")
    for name, figures in sorted(result["by_name"].items()):
        print(
            f"| {name} | {figures['requests']} | {figures['failures']} | {figures['p50_ms']} | "
            f"{figures['p99_ms']} | {figures['max_ms']} |"
        )
    for error in result["errors"]:
        print(f"  error: {error['method']} {error['name']}: {error['error']} ×{error['occurrences']}")
    print(
        "\n| writes | sent | acknowledged | rows | verified in the database | superseded by an unanswered write "
        "| lost |\n|---|---|---|---|---|---|---|"
    )
    for kind, figures in sorted(result["writes"].items()):
        print(
            f"| {kind} | {figures['sent']} | {figures['acknowledged']} | {figures['rows']} | {figures['verified']} "
            f"| {figures['superseded']} | {figures['lost']} |"
        )
    for item in result["lost_writes"]:
        print(f"  LOST: {item['write']} — the database holds {item['database']}")
    memory = result["memory"]
    if memory.get("samples"):
        print(
            f"\nWorkers' memory (RSS, sum of the gunicorn workers, {memory['samples']} samples): first "
            f"{memory['first_kib'] / 1024:.1f} MiB, after the warm-up {memory['reference_kib'] / 1024:.1f} MiB, "
            f"last {memory['last_kib'] / 1024:.1f} MiB, max {memory['max_kib'] / 1024:.1f} MiB "
            f"({memory['growth']:+.1%}; {memory['rule']}: {'flat' if memory['flat'] else 'NOT flat'}); "
            f"{result['worker_restarts']} worker(s) replaced during the run"
        )
    else:
        print(f"\nWorkers' memory: {memory.get('reason')}")
    checks = {
        "no failed request": requests["ok"],
        "no lost write": bool(result["writes"]) and not result["lost_writes"],
        "memory flat": memory["flat"],
    }
    print("\n" + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks.items()))
    print(f"(results in {RESULTS.relative_to(BASE_DIR)})")


if __name__ == "__main__":
    sys.exit(main())
