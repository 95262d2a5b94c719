"""What each Lambda function may do, and on what: the one table to read (or change) when a handler's code changes.

Found by following each handler from app.py through chalicelib (docs/deploying.md, "Permissions"):
- a DynamoDB transaction is authorised item action by item action (TransactWriteItems is not an IAM action),
  so a function whose changes add digest counters needs UpdateItem, and one that can close an open breach
  needs DeleteItem;
- `Queues` looks a queue up by name before using it (GetQueueUrl); SendMessageBatch is authorised as SendMessage;
- a Lambda SQS event source reads its queue with the function's role (Receive, Delete, GetQueueAttributes);
- secrets reach the functions as environment variables resolved from SSM at deploy time: no SSM at run time;
- metrics are EMF log lines: no cloudwatch:PutMetricData.
"""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.resources import OUTBOUND_QUEUE, ROUTING_QUEUE, SLA_INDEX, WORKLIST_INDEX

GET, BATCH_GET, PUT, UPDATE, DELETE, QUERY = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem",
                                              "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query")
DISTRICT_QUEUES = "every district queue"      # 123 of them: one name pattern, not 123 ARNs (role policy size)
OUTBOUND_DLQ = f"{OUTBOUND_QUEUE}-dlq"

CONSUME = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")
SEND = ("sqs:SendMessage", "sqs:GetQueueUrl")
CLAIM = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl")
EMAIL = ("ses:SendRawEmail",)


@dataclass(frozen=True)
class Grants:
    table: tuple[str, ...] = ()           # DynamoDB actions on the table's own items (QUERY: the base table)
    indexes: tuple[str, ...] = ()         # indexes it queries
    consumes: str | None = None           # the queue its event source reads
    sends: tuple[str, ...] = ()           # queues it sends to
    claims: bool = False                  # officers' claims: receive, delete and release district queue messages
    emails: bool = False                  # as the desk's SES sender


FUNCTION_GRANTS = {
    # Webhooks (store once, queue for routing; platform edits and delivery statuses as audit events; the desk's
    # own replies seen on the platform stop the clock), login, and the officer desk (worklist, audit trail,
    # claims, replies, re-routing, resolving: a first response or resolution deletes an open-breach item).
    "api_handler": Grants(table=(GET, PUT, UPDATE, DELETE, QUERY), indexes=(WORKLIST_INDEX,),
                          sends=(ROUTING_QUEUE, OUTBOUND_QUEUE, DISTRICT_QUEUES), claims=True),
    # Reads the officer's token version, nothing else.
    "officer_auth": Grants(table=(GET,)),
    # A batch's complaints in one read; triage, district queue, ROUTED with its counters, acknowledgement.
    # A NEW complaint has no open breach to delete.
    "route_complaints": Grants(table=(BATCH_GET, PUT, UPDATE), consumes=ROUTING_QUEUE,
                               sends=(DISTRICT_QUEUES, OUTBOUND_QUEUE)),
    # Reply claim (conditional put), release (delete), sent record and audit (puts); refusals parked in the DLQ.
    "send_replies": Grants(table=(GET, PUT, DELETE), consumes=OUTBOUND_QUEUE, sends=(OUTBOUND_DLQ,)),
    # Due complaints from the sparse SLA index; claim/record notices (with breach counters); email; X tag replies.
    "sla_sweep": Grants(table=(GET, PUT, UPDATE), indexes=(SLA_INDEX,), sends=(OUTBOUND_QUEUE,), emails=True),
    # Counter and open-breach rows (queries on the base table), the once-per-period claim and its release; email.
    "daily_digest": Grants(table=(QUERY, PUT, DELETE), emails=True),
    "shift_digest": Grants(table=(QUERY, PUT, DELETE), emails=True),
}
