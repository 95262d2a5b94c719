"""`make bench`: every benchmark in one run, one summary table, and bench/results.json (docs/benchmarks.md).

    .venv/bin/python bench/run.py            # about 6-8 minutes on 2 cores
    BENCH_QUICK=1 .venv/bin/python bench/run.py   # smaller sizes, for trying the command (about 2 minutes)

Sections run in this order in one process; each imports its module only when it starts, because the in-process
ones set the test stage's environment (fake credentials, metrics off) that the local stack must not inherit.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results.json"
QUICK = os.environ.get("BENCH_QUICK") == "1"
if QUICK:
    os.environ.setdefault("BENCH_DELIVERIES", "200")
    os.environ.setdefault("BENCH_BURST", "200")
    os.environ.setdefault("BENCH_BATCHES", "2")
SLA_SIZES = [1_000, 5_000] if QUICK else [2_000, 10_000, 30_000]
DIGEST_SIZES = [5_000, 10_000] if QUICK else [10_000, 25_000, 50_000]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "nproc": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version(),
            "git_commit": commit.strip(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def timed(name: str, run):
    print(f"== {name}", flush=True)
    started = time.perf_counter()
    result = run()
    print(f"   done in {time.perf_counter() - started:.0f} s", flush=True)
    return result


def cold_start():
    from bench import cold_start

    return cold_start.measure()


def local_stack():
    from bench import pipeline_local

    return pipeline_local.main()


def in_process():
    from bench import pipeline_inprocess

    return pipeline_inprocess.main()


def sla_by_size():
    from bench import sla_sweep

    return [sla_sweep.measure(closed) for closed in SLA_SIZES]


def digest_by_size():
    from bench import digest_reads

    return [digest_reads.measure(complaints) for complaints in DIGEST_SIZES]


def summary_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, met) for the table."""
    steady, burst = r["local_stack"]["steady"], r["local_stack"]["burst"]
    latency = steady["to_district_queue_s"]
    scenarios = r["in_process"]["scenarios"]
    profile = r["in_process"]["profile"]
    routed = next(iter(r["cost"]["paths"].values()))
    unrouted = list(r["cost"]["paths"].values())[1]
    yes = lambda ok: "yes" if ok else "NO"  # noqa: E731
    per = {name: s["per_complaint"] for name, s in scenarios.items()}
    rows = [
        (f"webhook -> district queue p50 / p95 / p99 ({steady['deliveries']} at {steady['rate_per_s']:g}/s)",
         f"{latency['p50']:.2f} / {latency['p95']:.2f} / {latency['p99']:.2f} s", "p99 < 1 s",
         yes(latency["p99"] < 1 and steady["arrived"] == steady["deliveries"])),
        ("webhook HTTP answer p50 / p99 (chalice local)",
         f"{steady['webhook_http_s']['p50'] * 1000:.0f} / {steady['webhook_http_s']['p99'] * 1000:.0f} ms", "", ""),
        (f"throughput, local stack, burst of {burst['deliveries']} ({burst['senders']} senders)",
         f"{burst['end_to_end_complaints_per_s']:.1f} complaints/s end to end; "
         f"webhook {burst['webhook_deliveries_per_s']:.0f}/s",
         "", ""),
        ("throughput, in process (webhook + router, one thread)",
         f"{profile['complaints_per_second_one_thread']:.1f} complaints/s", "", ""),
        ("time share under cProfile: moto / botocore / triage / rest of ours",
         " / ".join(f"{v * 100:.0f}%" for v in profile["share"].values()), "", ""),
        ("AWS requests per complaint, webhook", f"{per['ten_districts']['webhook_requests']:.1f}", "<= 2",
         yes(per["ten_districts"]["webhook_requests"] <= 2)),
    ]
    for name, label in (("one_district", "1 district queue"), ("eight_districts", "8 district queues"),
                        ("ten_districts", "10 district queues"), ("not_actionable", "no district (not actionable)")):
        value = per[name]["to_district_queue_requests"]
        rows.append((f"AWS requests per complaint, webhook to district queue, batches of 10, {label}",
                     f"{value:.1f} (+{per[name]['acknowledgement_queue_requests']:.1f} ack send; "
                     f"Lambda poller {per[name]['lambda_poller_requests']:.1f})", "<= 4", yes(value <= 4)))
    rows += [
        ("cold start: import app.py, fresh process (median)", f"{r['cold_start']['import_app_ms']} ms", "<= 300 ms",
         yes(r["cold_start"]["import_app_ms"] <= 300)),
        ("cold start: import + first signed webhook on moto server",
         f"{r['cold_start']['import_and_first_webhook_ms']} ms", "", ""),
        ("cost per 1M complaints, routed + acknowledged", f"${routed['usd_per_million']['total']:.2f}", "< $5",
         yes(routed["usd_per_million"]["total"] < 5)),
        ("cost per 1M complaints, not actionable", f"${unrouted['usd_per_million']['total']:.2f}", "< $5",
         yes(unrouted["usd_per_million"]["total"] < 5)),
    ]
    for sweep in r["sla_sweep"]:
        rows.append((f"SLA sweep, table of {sweep['complaints']:,}: index items read (due {sweep['due']})",
                     f"{sweep['index_items_read']}", f"<= {sweep['read_target']}", yes(sweep["ok"])))
    for digest in r["digest"]:
        rows.append((f"digest, {digest['complaints']:,} complaints "
                     f"({digest['counter_and_breach_items']:,} counter items): items read daily / shift",
                     f"{digest['daily_items_read']} / {digest['shift_items_read']}",
                     f"< {digest['read_target']:,}", yes(digest["ok"])))
    return rows


def print_table(rows) -> None:
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    print(f"\n{'figure'.ljust(width)}  {'value'.ljust(value_width)}  {'target':10}  met")
    for figure, value, target, met in rows:
        print(f"{figure.ljust(width)}  {value.ljust(value_width)}  {target:10}  {met}")


def print_cost(cost: dict) -> None:
    print(f"\nCost per 1,000,000 complaints, ap-south-1 list prices ({cost['prices']['price_list_date']}), "
          f"Lambda memory {cost['memory_mb']} MB")
    paths = list(cost["paths"].items())
    items = list(paths[0][1]["usd_per_million"])
    print(f"{'':28}" + "".join(f"{name[:38]:>40}" for name, _ in paths))
    for item in items:
        print(f"{item:28}" + "".join(f"{path['usd_per_million'][item]:>40.2f}" for _, path in paths))
    print(f"{'total, CPU-scaled to memory':28}" + "".join(f"{path['usd_per_million_cpu_scaled']:>40.2f}"
                                                        for _, path in paths))
    print("prices: " + ", ".join(f"{k}={v}" for k, v in cost["prices"].items() if not k.startswith("_")))
    print("assumptions: " + ", ".join(f"{k}={v}" for k, v in cost["assumptions"].items()))
    for key, note in cost["notes"].items():
        print(f"  {key}: {note}")


def print_profile(profile: dict) -> None:
    print(f"\nWhere the time goes: cProfile of webhook + router for {profile['complaints']} complaints, in process on "
          "moto (top entries of ours by cumulative time)")
    print("\n".join("  " + line for line in profile["top_cumulative"]))


def main() -> int:
    results = {"machine": machine(), "quick": QUICK}
    results["cold_start"] = timed("cold start", cold_start)
    results["local_stack"] = timed("local stack: latency at a steady rate, then a burst", local_stack)
    results["in_process"] = timed("in process on moto: AWS requests, units, durations, profile", in_process)
    from bench import cost

    results["cost"] = cost.estimate(results["in_process"])
    results["sla_sweep"] = timed(f"SLA sweep at {SLA_SIZES} closed complaints", sla_by_size)
    results["digest"] = timed(f"digest at {DIGEST_SIZES} complaints", digest_by_size)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    rows = summary_rows(results)
    print_profile(results["in_process"]["profile"])
    print_cost(results["cost"])
    print_table(rows)
    m = results["machine"]
    print(f"\n{m['date_utc']}  {m['nproc']} x {m['cpu_model']}  Python {m['python']}  commit {m['git_commit']}  "
          f"load {m['load_average_at_start']} -> {m['load_average_at_end']}")
    results["summary"] = [dict(zip(("figure", "value", "target", "met"), row)) for row in rows]
    RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"written: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
