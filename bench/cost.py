"""Cost per 1,000,000 complaints at AWS list prices (bench/prices_ap_south_1.json), from what the in-process
pipeline measured (bench/pipeline_inprocess.py): handler durations, AWS requests, DynamoDB units from the items
actually written and read, SQS billed requests, log bytes. What is not measured is an assumption, printed."""
from __future__ import annotations

import json
import re
from pathlib import Path

PRICES = Path(__file__).with_name("prices_ap_south_1.json")
MONTHLY_COMPLAINTS = 1_000_000
ASSUMPTIONS = {
    "monthly_complaints": MONTHLY_COMPLAINTS,
    "platform_api_seconds_per_reply": 0.3,      # the X/Graph API round trip the replier waits for (stand-in: ~2 ms)
    "lambda_log_bytes_per_invocation": 330,     # START, END and REPORT lines Lambda itself writes
    "emf_metric_bytes_per_complaint": 3 * 350,  # ComplaintsReceived, ComplaintsRouted, Replies (off in the bench)
    "officer_claim_sqs_requests": 2,            # an officer's claim receives the district message, then it is deleted
    "lambda_poller_requests_per_batch": 2,      # ReceiveMessage + DeleteMessageBatch by Lambda's SQS poller
    "lambda_poller_idle_requests_per_month": 2 * 5 * 3 * 60 * 24 * 30,   # 2 sources x 5 pollers x 20 s long polls
    "sla_notice_emails_per_routed_complaint": 0.10 + 0.08 + 0.08 + 0.024,   # 50 %, 80 %, 100 %, 200 % notices
    "sla_notice_recipients": 1,                 # the district cell (chalicelib/data/contacts.json)
    "digest_emails_per_month": 2 * (1 + 3) * 30 * 2,   # 2 states x (daily + 3 shifts) x 30 days x 2 addresses
}
NOTES = {
    "sla_notice_emails_per_routed_complaint": "one email per notice per complaint (chalicelib/sla_service.py); "
    "shares assumed: 10 % of routed complaints still unanswered at 50 % of the window, 8 % at 80 % and 100 % "
    "(bench/digest_reads.py's breach share), 30 % of those at 200 %",
    "lambda_poller_idle_requests_per_month": "per month, not per complaint: spread over monthly_complaints",
    "digest_emails_per_month": "per period, not per complaint: spread over monthly_complaints",
    "memory": "the configured memory of every function (infra/stacks.py MEMORY_MB); durations measured on one "
    "full core of this machine, on moto: at 256 MB Lambda gives about 1/7 of a vCPU, so CPU-bound parts run "
    "longer there (the 'CPU-scaled' line)",
}


def configured_memory_mb() -> int:
    """infra/stacks.py's MEMORY_MB, read from the file: importing it would load the CDK (seconds, and Node)."""
    text = (Path(__file__).resolve().parent.parent / "infra" / "stacks.py").read_text()
    return int(re.search(r"^MEMORY_MB = (\d+)", text, re.MULTILINE).group(1))


def path_usage(scenario: dict, routed: bool, memory_mb: int, cpu_scale: float = 1.0) -> dict:
    """Per complaint: what one complaint of this scenario uses of each billed thing."""
    a = ASSUMPTIONS
    n = scenario["complaints"]
    handlers = [scenario[k] for k in ("webhook", "router", "replier") if k in scenario]
    replies = scenario["replies"]
    seconds = sum((h["own_ms_per_invocation"] * cpu_scale + h["aws_call_ms_per_invocation"]) * h["invocations"]
                  for h in handlers) / 1000
    seconds += a["platform_api_seconds_per_reply"] * replies
    batches = sum(scenario[k]["invocations"] for k in ("router", "replier") if k in scenario)
    invocations = sum(h["invocations"] for h in handlers)
    return {
        "lambda_requests": invocations / n,
        "lambda_gb_seconds": seconds * memory_mb / 1024 / n,
        "api_gateway_requests": scenario["webhook"]["invocations"] / n,
        "dynamodb_wru": sum(h["wru"] for h in handlers) / n,
        "dynamodb_rru": sum(h["rru"] for h in handlers) / n,
        "sqs_requests": (sum(h["sqs_billed_requests"] for h in handlers)
                         + a["lambda_poller_requests_per_batch"] * batches
                         + (a["officer_claim_sqs_requests"] * n if routed else 0)) / n
        + a["lambda_poller_idle_requests_per_month"] / a["monthly_complaints"],
        "ses_emails": (a["sla_notice_emails_per_routed_complaint"] * a["sla_notice_recipients"] if routed else 0)
        + a["digest_emails_per_month"] / a["monthly_complaints"],
        "log_gb": (sum(h["log_bytes"] for h in handlers) + invocations * a["lambda_log_bytes_per_invocation"]
                   + a["emf_metric_bytes_per_complaint"] * n) / n / 1024 ** 3,
    }


def dollars_per_million(usage: dict, prices: dict) -> dict:
    million = 1_000_000
    items = {
        "Lambda compute (GB-s)": usage["lambda_gb_seconds"] * million * prices["lambda_gb_second_x86"],
        "Lambda requests": usage["lambda_requests"] * prices["lambda_per_million_requests"],
        "API Gateway REST requests": usage["api_gateway_requests"] * prices["api_gateway_rest_per_million_requests"],
        "DynamoDB writes (WRU)": usage["dynamodb_wru"] * prices["dynamodb_on_demand_per_million_wru"],
        "DynamoDB reads (RRU)": usage["dynamodb_rru"] * prices["dynamodb_on_demand_per_million_rru"],
        "SQS requests": usage["sqs_requests"] * prices["sqs_standard_per_million_requests"],
        "SES emails": usage["ses_emails"] * million / 1000 * prices["ses_per_thousand_emails"],
        "CloudWatch Logs ingestion": usage["log_gb"] * million * prices["cloudwatch_logs_ingestion_per_gb"],
    }
    return {k: round(v, 2) for k, v in items.items()} | {"total": round(sum(items.values()), 2)}


def estimate(inprocess: dict) -> dict:
    prices = json.loads(PRICES.read_text())
    memory_mb = configured_memory_mb()
    scenarios = inprocess["scenarios"]
    cpu_scale = 1769 / memory_mb        # Lambda: one full vCPU at 1,769 MB, proportionally less below
    paths = {"routed and acknowledged (10 district queues per batch)": (scenarios["ten_districts"], True),
             "not actionable (an opinion: no reply)": (scenarios["not_actionable"], False)}
    result = {"prices": prices, "assumptions": ASSUMPTIONS, "notes": NOTES, "memory_mb": memory_mb, "paths": {}}
    for name, (scenario, routed) in paths.items():
        usage = path_usage(scenario, routed, memory_mb)
        result["paths"][name] = {
            "usage_per_complaint": {k: round(v, 6) for k, v in usage.items()},
            "usd_per_million": dollars_per_million(usage, prices),
            "usd_per_million_cpu_scaled": dollars_per_million(path_usage(scenario, routed, memory_mb, cpu_scale),
                                                              prices)["total"]}
    return result
