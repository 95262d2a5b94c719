"""The table and queues, defined once: the local stack, the tests and infra/ all build from here."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from chalicelib.districts import load_registry
from chalicelib.model import parse_iso

ROUTING_QUEUE = "desk-routing"
OUTBOUND_QUEUE = "desk-outbound"
DISTRICT_QUEUE_PREFIX = "desk-district-"

WORKLIST_INDEX = "worklist"
SLA_INDEX = "sla"
# Items that only matter for a while carry their end as epoch seconds here; DynamoDB TTL deletes them after.
EXPIRY_ATTRIBUTE = "expires_at"


def expiry(at: str, days: int) -> dict:
    """The expiry attribute of an item to keep `days` after `at` (TTL deletes it within a few days after)."""
    return {EXPIRY_ATTRIBUTE: int((parse_iso(at) + timedelta(days=days)).timestamp())}


DISTRICT_DLQ = f"{DISTRICT_QUEUE_PREFIX}dlq"


@dataclass(frozen=True)
class QueueSpec:
    name: str
    max_receives: int
    visibility_timeout: int
    dlq_name: str


def district_queue_name(district_id: str) -> str:
    return f"{DISTRICT_QUEUE_PREFIX}{district_id}"


def queue_specs() -> list[QueueSpec]:
    # District queues are officers' work queues: a claim is a receive, so they tolerate many receives
    # before a message is parked in the DLQ; pipeline queues fail fast to their DLQ.
    # All district queues share one DLQ: its messages name their district, so a replay knows where to go.
    pipeline = [QueueSpec(name, 5, 60, f"{name}-dlq") for name in (ROUTING_QUEUE, OUTBOUND_QUEUE)]
    districts = [QueueSpec(district_queue_name(d), 50, 900, DISTRICT_DLQ) for d in load_registry().ids()]
    return pipeline + districts


def dlq_names() -> list[str]:
    return sorted({spec.dlq_name for spec in queue_specs()})


def queue_arn(queue_url: str, region: str) -> str:
    """The ARN from the URL's account and name (…/<account>/<name>), saving one call per queue."""
    account, name = queue_url.rstrip("/").split("/")[-2:]
    return f"arn:aws:sqs:{region}:{account}:{name}"


def _index(name: str, pk: str, sk: str) -> dict:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"}, {"AttributeName": sk, "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"},
    }


def table_definition(table_name: str) -> dict:
    """Arguments for DynamoDB CreateTable; infra/ translates the same shape into CDK."""
    keys = ["pk", "sk", "gsi1pk", "gsi1sk", "sla_pk", "sla_sk"]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": k, "AttributeType": "S"} for k in keys],
        "GlobalSecondaryIndexes": [
            _index(WORKLIST_INDEX, "gsi1pk", "gsi1sk"),
            _index(SLA_INDEX, "sla_pk", "sla_sk"),
        ],
    }


def create_resources(dynamodb, sqs, ses, table_name: str, sender: str) -> None:
    """Create the table, every queue with its DLQ, and the verified sender (moto server or in-process moto)."""
    dynamodb.create_table(**table_definition(table_name))
    dynamodb.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": EXPIRY_ATTRIBUTE})
    region = sqs.meta.region_name
    dlq_arns = {name: queue_arn(sqs.create_queue(QueueName=name)["QueueUrl"], region) for name in dlq_names()}
    for spec in queue_specs():
        redrive = json.dumps({"deadLetterTargetArn": dlq_arns[spec.dlq_name], "maxReceiveCount": str(spec.max_receives)})
        sqs.create_queue(QueueName=spec.name, Attributes={
            "VisibilityTimeout": str(spec.visibility_timeout), "RedrivePolicy": redrive,
        })
    ses.verify_email_identity(EmailAddress=sender)


def replay_target(dlq_name: str, message_body: str) -> str:
    """The queue a dead-lettered message goes back to."""
    if dlq_name == DISTRICT_DLQ:
        return district_queue_name(json.loads(message_body)["district"])
    return dlq_name.removesuffix("-dlq")
