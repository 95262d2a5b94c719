"""One Powertools Logger and Metrics for every handler; the complaint id is the correlation key."""
from __future__ import annotations

from functools import lru_cache

SERVICE = "police-desk"


@lru_cache(maxsize=1)
def logger():
    from aws_lambda_powertools import Logger

    return Logger(service=SERVICE)


HANDLER_KEYS = ("handler", "function_request_id")


def observe(event, get_response):
    """Chalice middleware for every handler: each log line says which handler and invocation wrote it."""
    lambda_context = getattr(event, "lambda_context", None) or getattr(event, "context", None)
    logger().append_keys(handler=getattr(lambda_context, "function_name", None),
                         function_request_id=getattr(lambda_context, "aws_request_id", None))
    try:
        return get_response(event)
    finally:
        logger().remove_keys(list(HANDLER_KEYS))


def count(name: str, value: float = 1, unit: str = "Count", **dimensions: str) -> None:
    """Emit one EMF metric line now, with its own dimensions (per district, per platform)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric
    from aws_lambda_powertools.metrics.functions import is_metrics_disabled

    if is_metrics_disabled():   # single_metric prints regardless (Powertools 3.37); Metrics() itself honours it
        return
    with single_metric(name=name, unit=getattr(MetricUnit, unit), value=value, namespace="ComplaintDesk") as metric:
        for key, dim in dimensions.items():
            metric.add_dimension(name=key, value=str(dim))
