"""Alarms, all to one SNS topic: parked messages, SLA breaches, and each function's errors and throttles."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from chalice.utils import to_cfn_resource_name
from constructs import Construct

# What chalicelib/observability.py:count emits when the sweep sees a window pass unanswered (sla_service.claim):
# an EMF metric per district. Metrics Insights sums it over every district without one alarm per district.
METRICS_NAMESPACE = "ComplaintDesk"
SLA_BREACHES = "SlaBreaches"
SLA_BREACH_DIMENSIONS = ("district", "service")
FIVE_MINUTES = cdk.Duration.minutes(5)


class Alarms(Construct):
    def __init__(self, scope: Construct, construct_id: str, alarm_email: str | None = None) -> None:
        super().__init__(scope, construct_id)
        # Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and an
        # alarm carries names of resources and metrics only, no complaint data.
        self.topic = sns.Topic(self, "Topic", display_name="Complaint desk alarms")
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))

    def _notify(self, alarm: cloudwatch.Alarm) -> cloudwatch.Alarm:
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        return alarm

    def _above(self, alarm_id: str, metric: cloudwatch.IMetric, threshold: float, description: str) -> None:
        self._notify(cloudwatch.Alarm(
            self, alarm_id, metric=metric, threshold=threshold, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING, alarm_description=description))

    def dead_letters(self, dlq: sqs.Queue, name: str) -> None:
        self._above(f"{to_cfn_resource_name(name)}NotEmpty", dlq.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"), 0, f"Messages parked in {name}: inspect, fix, then replay")

    def waiting_too_long(self, queue: sqs.Queue, name: str, seconds: int) -> None:
        """A queue its Lambda reads but does not keep up with (event source disabled, function failing or
        throttled): complaints wait unrouted or unanswered while no message has yet reached a DLQ."""
        self._above(f"{to_cfn_resource_name(name)}Waiting", queue.metric_approximate_age_of_oldest_message(
            period=FIVE_MINUTES, statistic="Maximum"), seconds, f"A message has waited over {seconds} s in {name}")

    def sla_breaches(self, threshold: float) -> None:
        dimensions = ", ".join(SLA_BREACH_DIMENSIONS)
        query = f"SELECT SUM({SLA_BREACHES}) FROM SCHEMA({METRICS_NAMESPACE}, {dimensions})"
        self._above("SlaBreaches", cloudwatch.MathExpression(expression=query, period=FIVE_MINUTES), threshold,
                    f"Complaints passing their first-response window unanswered (all districts): more than "
                    f"{threshold:g} in 5 minutes")

    def api_server_errors(self, api_name: str, stage_name: str) -> None:
        """Chalice answers an exception in a route with a 500 and ends the invocation normally: the API handler's
        Lambda Errors never see it, API Gateway's 5XXError does (with the webhooks' deliberate 503s)."""
        metric = cloudwatch.Metric(namespace="AWS/ApiGateway", metric_name="5XXError", statistic="Sum",
                                   period=FIVE_MINUTES, dimensions_map={"ApiName": api_name, "Stage": stage_name})
        self._above("ApiServerErrors", metric, 0, f"{api_name}/{stage_name}: 5xx answers in 5 minutes")

    def function_failures(self, function_name: str, logical_id: str) -> None:
        """Errors: the handler raised (queue handlers report per-message failures instead, seen by DLQ alarms).
        Throttles: concurrency ran out, so webhooks or queue batches waited or failed."""
        for metric_name in ("Errors", "Throttles"):
            metric = cloudwatch.Metric(namespace="AWS/Lambda", metric_name=metric_name, statistic="Sum",
                                       period=FIVE_MINUTES, dimensions_map={"FunctionName": function_name})
            self._above(f"{logical_id}{metric_name}", metric, 0, f"{function_name}: {metric_name} in 5 minutes")
