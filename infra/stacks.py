"""The deployed desk: table, queues with DLQs, SES sender, secrets from SSM, the Chalice app with one role per
function (infra/permissions.py), and alarms (infra/monitoring.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from chalice.app import SQSEventConfig
from chalice.cdk import Chalice
from chalice.utils import to_cfn_resource_name
from constructs import Construct

from chalicelib.resources import (DISTRICT_DLQ, DISTRICT_QUEUE_PREFIX, EXPIRY_ATTRIBUTE, dlq_names, queue_specs,
                                  table_definition)
from infra.monitoring import Alarms
from infra.permissions import CLAIM, CONSUME, DISTRICT_QUEUES, EMAIL, FUNCTION_GRANTS, QUERY, SEND, Grants

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "complaint-desk"
SECRETS = ("X_CONSUMER_SECRET", "META_APP_SECRET", "META_VERIFY_TOKEN", "JWT_SECRET",
           "X_USER_TOKEN", "META_PAGE_TOKEN", "WHATSAPP_TOKEN")   # the last three post replies to citizens
# 128 MB gives a Python cold start about a twelfth of a vCPU; 256 MB halves it for webhooks that platforms time.
MEMORY_MB = 256


@dataclass(frozen=True)
class StageSettings:
    log_retention: logs.RetentionDays
    removal_policy: cdk.RemovalPolicy
    deletion_protection: bool


STAGES = {
    # dev: `cdk destroy` takes the table and its test data with it; two weeks of logs to debug with.
    "dev": StageSettings(logs.RetentionDays.TWO_WEEKS, cdk.RemovalPolicy.DESTROY, deletion_protection=False),
    # prod: the table outlives the stack and cannot be deleted by accident; a year of logs covers the yearly
    # audit and RTI questions (the complaint and its audit trail live in the table, not in the logs).
    "prod": StageSettings(logs.RetentionDays.ONE_YEAR, cdk.RemovalPolicy.RETAIN, deletion_protection=True),
}


def ssm_parameter_name(stage: str, secret: str) -> str:
    return f"/{APP_NAME}/{stage}/{secret.lower().replace('_', '-')}"


def function_name(stage: str, name: str) -> str:
    return f"{APP_NAME}-{stage}-{name}"


def app_functions() -> dict[str, str]:
    """Every Lambda function Chalice makes of app.py, by Chalice name: its logical id in the packaged template."""
    import app

    functions = {"api_handler": "APIHandler"}
    functions.update({auth.name: to_cfn_resource_name(auth.name) for auth in app.app.builtin_auth_handlers})
    functions.update({source.name: to_cfn_resource_name(source.name) for source in app.app.event_sources})
    return functions


def sqs_handlers() -> list[SQSEventConfig]:
    import app

    return [source for source in app.app.event_sources if isinstance(source, SQSEventConfig)]


def _keys(key_schema: list[dict]) -> dict[str, dynamodb.Attribute]:
    """HASH and RANGE as CDK attributes: every key of the table is a string (table_definition)."""
    return {k["KeyType"]: dynamodb.Attribute(name=k["AttributeName"], type=dynamodb.AttributeType.STRING)
            for k in key_schema}


class ComplaintDeskStack(cdk.Stack):
    def __init__(self, scope: Construct, stage: str, **kwargs) -> None:
        super().__init__(scope, stage, **kwargs)
        self.stage, settings = stage, STAGES[stage]
        config = json.loads((ROOT / ".chalice" / "config.json").read_text())
        self.sender = config["environment_variables"]["SES_SENDER"]
        self.alarms = Alarms(self, "Alarms", self.node.try_get_context("alarm_email"))
        self.alarms.sla_breaches(float(self.node.try_get_context("sla_breach_alarm_threshold") or 0))
        self.table = self.make_table(f"{APP_NAME}-{stage}", settings)
        self.queues = self.make_queues()
        ses.EmailIdentity(self, "Sender", identity=ses.Identity.email(self.sender))
        self.deploy_app(settings)
        # The REST API takes its name from the app (the OpenAPI title Chalice writes) and its stage from config.
        self.alarms.api_server_errors(APP_NAME, config["stages"][stage]["api_gateway_stage"])
        cdk.CfnOutput(self, "AlarmTopicArn", value=self.alarms.topic.topic_arn)

    def deploy_app(self, settings: StageSettings) -> None:
        """The Chalice app; each function with its name, its own role, its log group and its alarms."""
        roles = {name: self.function_role(name, grants) for name, grants in FUNCTION_GRANTS.items()}
        chalice = Chalice(self, "Desk", source_dir=str(ROOT), stage_config={
            "environment_variables": self.environment(), "lambda_memory_size": MEMORY_MB,
            # Chalice reads per-function roles only from .chalice/config.json, which cannot hold CDK tokens:
            # every function gets its own role by an override below; this stage-wide one is never left in place.
            "manage_iam_role": False, "iam_role_arn": roles["api_handler"].role_arn})
        for name, logical_id in app_functions().items():
            function = chalice.get_resource(logical_id)
            function.add_property_override("FunctionName", function_name(self.stage, name))
            function.add_property_override("Role", roles[name].role_arn)
            function.node.add_dependency(self.log_group(name, logical_id, settings))
            self.alarms.function_failures(function_name(self.stage, name), logical_id)
        for handler in sqs_handlers():
            self.report_batch_item_failures(chalice, handler, self.queues[handler.queue])
            # The shortest first-response window (misinformation) is five minutes.
            self.alarms.waiting_too_long(self.queues[handler.queue], handler.queue, seconds=300)

    def log_group(self, name: str, logical_id: str, settings: StageSettings) -> logs.LogGroup:
        """Made here, before its function: Chalice's own `log_retention_in_days` names the API handler's
        function wrongly in its template (ApiHandler for APIHandler), and the roles may not create groups."""
        return logs.LogGroup(self, f"{logical_id}Logs", log_group_name=f"/aws/lambda/{function_name(self.stage, name)}",
                             retention=settings.log_retention, removal_policy=settings.removal_policy)

    def environment(self) -> dict[str, str]:
        environment = {"TABLE_NAME": self.table.table_name, "APP_STAGE": self.stage}
        for secret in SECRETS:
            # Plain SSM parameters per stage, resolved at deploy time; rotate them there and redeploy.
            environment[secret] = ssm.StringParameter.value_for_string_parameter(
                self, ssm_parameter_name(self.stage, secret))
        return environment

    def make_table(self, name: str, settings: StageSettings) -> dynamodb.Table:
        definition = table_definition(name)
        keys = _keys(definition["KeySchema"])
        table = dynamodb.Table(self, "Complaints", table_name=name, billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                               partition_key=keys["HASH"], sort_key=keys["RANGE"],
                               encryption=dynamodb.TableEncryption.AWS_MANAGED,
                               time_to_live_attribute=EXPIRY_ATTRIBUTE,
                               point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                                   point_in_time_recovery_enabled=True),
                               deletion_protection=settings.deletion_protection,
                               removal_policy=settings.removal_policy)
        for index in definition["GlobalSecondaryIndexes"]:
            index_keys = _keys(index["KeySchema"])
            table.add_global_secondary_index(index_name=index["IndexName"], partition_key=index_keys["HASH"],
                                             sort_key=index_keys["RANGE"])
        return table

    def make_queues(self) -> dict[str, sqs.Queue]:
        """Every queue and DLQ by name, encrypted with SQS-managed keys (no KMS key policy to keep)."""
        queues = {}
        for name in dlq_names():
            queues[name] = sqs.Queue(self, to_cfn_resource_name(name), queue_name=name,
                                     retention_period=cdk.Duration.days(14),
                                     encryption=sqs.QueueEncryption.SQS_MANAGED)
            self.alarms.dead_letters(queues[name], name)
        for spec in queue_specs():
            queues[spec.name] = sqs.Queue(
                self, to_cfn_resource_name(spec.name), queue_name=spec.name,
                visibility_timeout=cdk.Duration.seconds(spec.visibility_timeout),
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                dead_letter_queue=sqs.DeadLetterQueue(queue=queues[spec.dlq_name], max_receive_count=spec.max_receives))
        return queues

    def queue_arns(self, names) -> list[str]:
        return [self.format_arn(service="sqs", resource=f"{DISTRICT_QUEUE_PREFIX}*") if name == DISTRICT_QUEUES
                else self.queues[name].queue_arn for name in names]

    def function_role(self, name: str, grants: Grants) -> iam.Role:
        """An inline policy, so it exists before the function: an SQS event source is checked when it is made."""
        return iam.Role(self, f"{to_cfn_resource_name(name)}Role",
                        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"{function_name(self.stage, name)}: only what infra/permissions.py grants it",
                        inline_policies={"desk": iam.PolicyDocument(statements=self.statements(name, grants))})

    def statements(self, name: str, grants: Grants) -> list[iam.PolicyStatement]:
        # Its own log group only, and no CreateLogGroup: the template makes the group with its retention, and a
        # function run before that cannot make a group that would then make the stack fail ("already exists").
        log_group = self.format_arn(service="logs", resource="log-group", arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                                    resource_name=f"/aws/lambda/{function_name(self.stage, name)}:*")
        statements = [iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[log_group])]
        if grants.table:
            statements.append(iam.PolicyStatement(actions=list(grants.table), resources=[self.table.table_arn]))
        if grants.indexes:
            statements.append(iam.PolicyStatement(actions=[QUERY], resources=[
                f"{self.table.table_arn}/index/{index}" for index in grants.indexes]))
        if grants.consumes:
            statements.append(iam.PolicyStatement(actions=list(CONSUME), resources=self.queue_arns([grants.consumes])))
        if grants.sends:
            statements.append(iam.PolicyStatement(actions=list(SEND), resources=self.queue_arns(grants.sends)))
        if grants.claims:
            statements.append(iam.PolicyStatement(actions=list(CLAIM), resources=self.queue_arns([DISTRICT_QUEUES])))
        if grants.claims or DISTRICT_QUEUES in grants.sends:
            # The district queues' name pattern also matches their shared DLQ, which only operators replay.
            statements.append(iam.PolicyStatement(effect=iam.Effect.DENY, actions=sorted(set(SEND + CLAIM)),
                                                  resources=[self.queues[DISTRICT_DLQ].queue_arn]))
        if grants.emails:
            statements.append(self.email_statement())
        return statements

    def email_statement(self) -> iam.PolicyStatement:
        """Only as the desk's sender. Any identity of this account as the resource: in the SES sandbox each
        recipient is an identity that SES checks the caller's permission on too."""
        return iam.PolicyStatement(actions=list(EMAIL), resources=[self.format_arn(service="ses", resource="identity",
                                                                                   resource_name="*")],
                                   conditions={"StringEquals": {"ses:FromAddress": self.sender}})

    @staticmethod
    def report_batch_item_failures(chalice: Chalice, handler: SQSEventConfig, queue: sqs.Queue) -> None:
        """Chalice cannot set FunctionResponseTypes; without it a reported failure would retry the whole batch.
        The event source names its queue by ARN text, not by reference: the queue must exist first."""
        function = chalice.get_resource(to_cfn_resource_name(handler.name))
        event = f"{to_cfn_resource_name(handler.name)}SqsEventSource"
        function.add_property_override(f"Events.{event}.Properties.FunctionResponseTypes", ["ReportBatchItemFailures"])
        function.node.add_dependency(queue)
