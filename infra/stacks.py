"""The deployed desk: table, queues with DLQs and alarms, SES sender, secrets from SSM, the Chalice app."""
from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from chalice.app import SQSEventConfig
from chalice.cdk import Chalice
from chalice.utils import to_cfn_resource_name
from constructs import Construct

from chalicelib.resources import dlq_names, queue_specs, table_definition

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("X_CONSUMER_SECRET", "META_APP_SECRET", "META_VERIFY_TOKEN", "JWT_SECRET",
           "X_USER_TOKEN", "META_PAGE_TOKEN", "WHATSAPP_TOKEN")   # the last three post replies to citizens


def _attribute(definition: dict, name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def sqs_handlers() -> list[SQSEventConfig]:
    import app

    return [source for source in app.app.event_sources if isinstance(source, SQSEventConfig)]


class ComplaintDeskStack(cdk.Stack):
    def __init__(self, scope: Construct, stage: str, **kwargs) -> None:
        super().__init__(scope, stage, **kwargs)
        table = self.table(f"complaint-desk-{stage}")
        queues = self.queues()
        sender = json.loads((ROOT / ".chalice" / "config.json").read_text())["environment_variables"]["SES_SENDER"]
        ses.EmailIdentity(self, "Sender", identity=ses.Identity.email(sender))
        environment = {"TABLE_NAME": table.table_name, "APP_STAGE": stage}
        for secret in SECRETS:
            # Plain SSM parameters per stage; rotate them there, never in code.
            environment[secret] = ssm.StringParameter.value_for_string_parameter(
                self, f"/complaint-desk/{stage}/{secret.lower().replace('_', '-')}")
        # One role for every function, made here: Chalice's policy generator misses boto3 Table resources.
        role = iam.Role(self, "DeskFunctions", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                            "service-role/AWSLambdaBasicExecutionRole")])
        chalice = Chalice(self, "Desk", source_dir=str(ROOT), stage_config={
            "environment_variables": environment, "manage_iam_role": False, "iam_role_arn": role.role_arn})
        table.grant_read_write_data(role)
        for queue in queues.values():
            queue.grant_send_messages(role)
            queue.grant_consume_messages(role)
        role.add_to_principal_policy(iam.PolicyStatement(actions=["ses:SendEmail", "ses:SendRawEmail"],
                                                         resources=["*"]))
        role.add_to_principal_policy(iam.PolicyStatement(actions=["cloudwatch:PutMetricData"], resources=["*"]))
        for handler in sqs_handlers():
            self.report_batch_item_failures(chalice, handler, queues[handler.queue])

    def table(self, name: str) -> dynamodb.Table:
        definition = table_definition(name)
        keys = {k["KeyType"]: k["AttributeName"] for k in definition["KeySchema"]}
        table = dynamodb.Table(self, "Complaints", table_name=name, billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                               partition_key=_attribute(definition, keys["HASH"]),
                               sort_key=_attribute(definition, keys["RANGE"]),
                               point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                                   point_in_time_recovery_enabled=True),
                               removal_policy=cdk.RemovalPolicy.RETAIN)
        for index in definition["GlobalSecondaryIndexes"]:
            index_keys = {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]}
            table.add_global_secondary_index(index_name=index["IndexName"],
                                             partition_key=_attribute(definition, index_keys["HASH"]),
                                             sort_key=_attribute(definition, index_keys["RANGE"]))
        return table

    def queues(self) -> dict[str, sqs.Queue]:
        dlqs = {}
        for name in dlq_names():
            dlqs[name] = sqs.Queue(self, to_cfn_resource_name(name), queue_name=name,
                                   retention_period=cdk.Duration.days(14))
            cloudwatch.Alarm(self, f"{to_cfn_resource_name(name)}NotEmpty",
                             metric=dlqs[name].metric_approximate_number_of_messages_visible(),
                             threshold=0, evaluation_periods=1,
                             comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                             alarm_description=f"Messages parked in {name}: inspect, fix, then replay")
        return {
            spec.name: sqs.Queue(self, to_cfn_resource_name(spec.name), queue_name=spec.name,
                                 visibility_timeout=cdk.Duration.seconds(spec.visibility_timeout),
                                 dead_letter_queue=sqs.DeadLetterQueue(queue=dlqs[spec.dlq_name],
                                                                       max_receive_count=spec.max_receives))
            for spec in queue_specs()
        }

    @staticmethod
    def report_batch_item_failures(chalice: Chalice, handler: SQSEventConfig, queue: sqs.Queue) -> None:
        """Chalice cannot set FunctionResponseTypes; without it a reported failure would retry the whole batch."""
        function = chalice.get_resource(to_cfn_resource_name(handler.name))
        event = f"{to_cfn_resource_name(handler.name)}SqsEventSource"
        function.add_property_override(f"Events.{event}.Properties.FunctionResponseTypes", ["ReportBatchItemFailures"])
        function.add_dependency(queue.node.default_child)
