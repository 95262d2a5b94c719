"""The local runner stands in for Lambda's SQS pollers: each queue has its own long-polling poller, so a queue
whose handler is slow (replies waiting on a platform) does not hold up routing (docs/benchmarks.md: latency)."""
import threading
import time

from local.runner import LocalRunner
from local.samples import tweet, x_delivery

SLOW_REPLIER_SECONDS = 3


def slow_replier(handler, event, context):
    if context.function_name == "send_replies":
        time.sleep(SLOW_REPLIER_SECONDS)
        return {"batchItemFailures": []}
    return handler(event, context)


def test_routing_does_not_wait_for_a_slow_replier(post_x, store, queues):
    runner = LocalRunner(invoke=slow_replier)
    queues.send("desk-outbound", {"complaint_id": "busy", "reply_id": "r", "purpose": "like", "text": "",
                                  "requested_by": "system:router"})
    threading.Thread(target=runner.run_forever, args=(queues,), daemon=True).start()
    try:
        time.sleep(0.5)   # the replier's poller has its batch and is busy with it
        post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", tweet_id="4401")]))
        posted = time.monotonic()
        while store.find_by_external("x", "4401").status == "NEW" and time.monotonic() - posted < 10:
            time.sleep(0.05)
        routed_after = time.monotonic() - posted
    finally:
        runner.stop()
        time.sleep(SLOW_REPLIER_SECONDS)   # let the pollers finish before moto goes away
    assert store.find_by_external("x", "4401").status == "ROUTED"
    assert routed_after < SLOW_REPLIER_SECONDS - 1
