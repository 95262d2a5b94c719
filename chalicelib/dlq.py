"""Operator CLI for dead-letter queues: see what is parked, and replay it once the cause is fixed.

    python -m chalicelib.dlq status                       # every DLQ and how many messages wait in it
    python -m chalicelib.dlq replay desk-routing-dlq      # move them back to the queue they came from
Set AWS_ENDPOINT_URL=http://127.0.0.1:5000 for the local stack; otherwise the usual AWS credentials apply.
"""
from __future__ import annotations

import argparse
import json
import sys

from chalicelib.queues import Queues
from chalicelib.resources import dlq_names


def dlq_status(queues: Queues) -> dict[str, int]:
    return {name: int(queues.sqs.get_queue_attributes(QueueUrl=queues.url(name),
                                                      AttributeNames=["ApproximateNumberOfMessages"])
                      ["Attributes"]["ApproximateNumberOfMessages"]) for name in dlq_names()}


def main(argv=None, queues: Queues | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status")
    replay = commands.add_parser("replay")
    replay.add_argument("dlq", choices=dlq_names())
    replay.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    queues = queues or Queues()
    if args.command == "status":
        print(json.dumps(dlq_status(queues), indent=2))
    else:
        print(json.dumps({"replayed": queues.replay_dlq(args.dlq, args.limit), "from": args.dlq}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
