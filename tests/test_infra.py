"""infra/: both stages synthesize offline from `python infra/app.py`, pass cfn-lint, and hold what the issue asks:
the table and queues of chalicelib/resources.py, one least-privilege role per function, alarms, log retention."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.resources import (DISTRICT_DLQ, EXPIRY_ATTRIBUTE, dlq_names, queue_specs, table_definition)
from infra.permissions import FUNCTION_GRANTS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ALARM_EMAIL = "desk-ops@police.example.in"
CFN_RESOURCE_LIMIT = 500


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, dict]:
    """`python infra/app.py` as CI runs it: no AWS credentials, no account, no network to AWS; an alarm email
    given as CDK context. The Chalice construct packages into its working directory, hence the temporary one."""
    out = tmp_path_factory.mktemp("cdk")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(CDK_OUTDIR=str(out / "cdk.out"), AWS_EC2_METADATA_DISABLED="true",
               AWS_SHARED_CREDENTIALS_FILE=str(out / "none"), AWS_CONFIG_FILE=str(out / "none"),
               CDK_CONTEXT_JSON=json.dumps({"alarm_email": ALARM_EMAIL}))
    synth = subprocess.run([sys.executable, str(ROOT / "infra" / "app.py")], cwd=out, env=env,
                           capture_output=True, text=True, timeout=180)
    assert synth.returncode == 0, synth.stderr[-3000:]
    return {stage: json.loads((out / "cdk.out" / f"{stage}.template.json").read_text()) for stage in ("dev", "prod")}


@pytest.fixture(scope="module")
def dev(templates):
    return templates["dev"]


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {key: r for key, r in template["Resources"].items() if r["Type"] == kind}


def properties(template: dict, kind: str) -> list[dict]:
    return [r["Properties"] for r in resources(template, kind).values()]


def functions(template: dict) -> dict[str, dict]:
    """Chalice function name -> its properties (the API handler's handler is `app.app`)."""
    named = {}
    for props in properties(template, "AWS::Serverless::Function"):
        name = props["Handler"].removeprefix("app.")
        named["api_handler" if name == "app" else name] = props
    return named


def allowed(template: dict) -> dict[str, list[dict]]:
    """Each function's Allow statements, from the inline policy of the role it runs as."""
    roles = resources(template, "AWS::IAM::Role")
    result = {}
    for name, props in functions(template).items():
        role = roles[props["Role"]["Fn::GetAtt"][0]]
        statements = [s for policy in role["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]
        result[name] = [s for s in statements if s["Effect"] == "Allow"]
    return result


def actions_of(statements: list[dict], service: str) -> set[str]:
    return {a for s in statements for a in _list(s["Action"]) if a.startswith(f"{service}:")}


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def logical_id(template: dict, kind: str, name: str) -> str:
    """The logical id of the resource of this type whose Name property (QueueName, TableName) is `name`."""
    return next(key for key, r in resources(template, kind).items()
                if r["Properties"].get(kind.split("::")[-1] + "Name") == name)


# --- synthesis and CloudFormation limits ---------------------------------------------------------------------

def test_cfn_lint_finds_nothing_in_either_stage(templates):
    from cfnlint.api import ManualArgs, lint

    findings = {stage: [f"{m.rule.id} {m.message}" for m in lint(json.dumps(template),
                                                                 config=ManualArgs(regions=["ap-south-1"]))]
                for stage, template in templates.items()}
    assert findings == {"dev": [], "prod": []}


def deployed_resource_count(template: dict) -> int:
    """CloudFormation counts resources after the SAM transform: a function becomes a Lambda function, plus an
    event source mapping per SQS event and a rule and a permission per schedule; the API a RestApi, a
    deployment and a stage (functions here bring their own roles, so SAM adds none)."""
    per_event = {"SQS": 1, "Schedule": 2}
    count = 0
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            count += 1 + sum(per_event[e["Type"]] for e in resource["Properties"].get("Events", {}).values())
        elif resource["Type"] == "AWS::Serverless::Api":
            count += 3
        else:
            count += 1
    return count


def test_each_stage_keeps_room_under_the_500_resource_limit_after_the_sam_transform(templates):
    # 128 queues today; each new district adds one. Failing here means: split the district queues into a
    # nested stack before CloudFormation refuses the deployment.
    assert {stage: deployed_resource_count(t) <= CFN_RESOURCE_LIMIT - 250 for stage, t in templates.items()} \
        == {"dev": True, "prod": True}


def test_each_template_fits_the_1_mb_cloudformation_limit(templates):
    assert max(len(json.dumps(t)) for t in templates.values()) < 1_000_000


# --- one source of truth with the local stack ----------------------------------------------------------------

def test_table_keys_attributes_and_indexes_are_those_of_table_definition(dev):
    (table,) = properties(dev, "AWS::DynamoDB::Table")
    definition = table_definition(table["TableName"])
    assert table["KeySchema"] == definition["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(definition["AttributeDefinitions"], key=str)
    assert table["GlobalSecondaryIndexes"] == definition["GlobalSecondaryIndexes"]


def test_queue_names_redrive_and_visibility_are_those_of_queue_specs(dev):
    queues = {q["QueueName"]: q for q in properties(dev, "AWS::SQS::Queue")}
    assert sorted(queues) == sorted([spec.name for spec in queue_specs()] + dlq_names())
    for spec in queue_specs():
        redrive = queues[spec.name]["RedrivePolicy"]
        assert redrive == {"deadLetterTargetArn": {"Fn::GetAtt": [logical_id(dev, "AWS::SQS::Queue", spec.dlq_name),
                                                                  "Arn"]},
                           "maxReceiveCount": spec.max_receives}
        assert queues[spec.name]["VisibilityTimeout"] == spec.visibility_timeout


# --- table and queues --------------------------------------------------------------------------------------

def test_table_is_on_demand_encrypted_recoverable_and_expires_items_by_the_expiry_attribute(dev):
    (table,) = properties(dev, "AWS::DynamoDB::Table")
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSESpecification"] == {"SSEEnabled": True}           # the AWS-managed KMS key
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["TimeToLiveSpecification"] == {"AttributeName": EXPIRY_ATTRIBUTE, "Enabled": True}


def test_local_stack_table_expires_items_by_the_same_attribute(aws):
    import boto3

    description = boto3.client("dynamodb").describe_time_to_live(TableName=aws.table_name)
    assert description["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": EXPIRY_ATTRIBUTE}


def test_every_queue_is_encrypted_with_sqs_managed_keys(dev):
    assert all(q.get("SqsManagedSseEnabled") is True for q in properties(dev, "AWS::SQS::Queue"))


def test_queue_visibility_covers_the_timeout_of_the_function_reading_it(dev):
    # Lambda refuses an SQS event source whose queue hides a message for less time than the function may run.
    queues = {q["QueueName"]: q for q in properties(dev, "AWS::SQS::Queue")}
    for props in functions(dev).values():
        for event in props.get("Events", {}).values():
            if event["Type"] == "SQS":
                queue_name = event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]
                assert queues[queue_name]["VisibilityTimeout"] >= props["Timeout"]


def test_prod_keeps_its_table_when_the_stack_goes_and_dev_does_not(templates):
    tables = {stage: next(iter(resources(t, "AWS::DynamoDB::Table").values())) for stage, t in templates.items()}
    assert (tables["prod"]["DeletionPolicy"], tables["prod"]["Properties"]["DeletionProtectionEnabled"]) \
        == ("Retain", True)
    assert (tables["dev"]["DeletionPolicy"], tables["dev"]["Properties"]["DeletionProtectionEnabled"]) \
        == ("Delete", False)


# --- the functions -----------------------------------------------------------------------------------------

def test_queue_handlers_report_partial_batch_failures(dev):
    sqs_events = [event for f in functions(dev).values() for event in f.get("Events", {}).values()
                  if event["Type"] == "SQS"]
    assert len(sqs_events) == 2
    assert all(event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for event in sqs_events)


def test_secrets_are_ssm_parameters_of_the_stage_never_values(templates):
    from infra.stacks import SECRETS, ssm_parameter_name   # starts Node (jsii): only in the one test that needs it

    for stage, template in templates.items():
        parameters = template["Parameters"]
        for props in functions(template).values():
            variables = props["Environment"]["Variables"]
            for secret in SECRETS:
                parameter = parameters[variables[secret]["Ref"]]
                assert (parameter["Type"], parameter["Default"]) == ("AWS::SSM::Parameter::Value<String>",
                                                                     ssm_parameter_name(stage, secret))


def test_every_function_runs_as_its_stage_so_prod_never_falls_back_to_dev_secrets(templates):
    # chalicelib/settings.py gives dev defaults for missing secrets in dev stages only.
    assert {stage: {props["Environment"]["Variables"]["APP_STAGE"] for props in functions(t).values()}
            for stage, t in templates.items()} == {"dev": {"dev"}, "prod": {"prod"}}


def test_every_function_has_a_log_group_kept_two_weeks_in_dev_and_a_year_in_prod(templates):
    for stage, days in (("dev", 14), ("prod", 365)):
        groups = {g["LogGroupName"]: g["RetentionInDays"] for g in properties(templates[stage], "AWS::Logs::LogGroup")}
        expected = {f"/aws/lambda/{props['FunctionName']}": days for props in functions(templates[stage]).values()}
        assert groups == expected


# --- least privilege -----------------------------------------------------------------------------------------

def test_the_permissions_table_covers_exactly_the_functions_the_app_has(dev):
    assert sorted(functions(dev)) == sorted(FUNCTION_GRANTS)


def test_every_function_runs_as_a_role_of_its_own(dev):
    roles = [props["Role"]["Fn::GetAtt"][0] for props in functions(dev).values()]
    assert len(set(roles)) == len(roles) == len(FUNCTION_GRANTS)


def test_no_statement_allows_a_wildcard_action_or_resource(dev):
    for statements in allowed(dev).values():
        for statement in statements:
            assert not [a for a in _list(statement["Action"]) if a == "*" or a.endswith(":*")]
            assert "*" not in _list(statement["Resource"])


def test_dynamodb_statements_name_only_the_table_and_its_indexes(dev):
    table = logical_id(dev, "AWS::DynamoDB::Table", "complaint-desk-dev")
    index_names = [i["IndexName"] for i in table_definition("")["GlobalSecondaryIndexes"]]
    whole_table = {"Fn::GetAtt": [table, "Arn"]}
    indexes = [{"Fn::Join": ["", [whole_table, f"/index/{name}"]]} for name in index_names]
    for statements in allowed(dev).values():
        for statement in statements:
            if actions_of([statement], "dynamodb"):
                assert all(r == whole_table or r in indexes for r in _list(statement["Resource"]))


def test_sqs_statements_name_only_desk_queues(dev):
    queue_ids = set(resources(dev, "AWS::SQS::Queue"))
    for statements in allowed(dev).values():
        for statement in statements:
            if actions_of([statement], "sqs"):
                for resource in _list(statement["Resource"]):
                    names_a_queue = isinstance(resource, dict) and resource.get("Fn::GetAtt", [None])[0] in queue_ids
                    assert names_a_queue or json.dumps(resource).endswith(':desk-district-*"]]}')


def test_what_each_function_may_do_on_the_table(dev):
    table = {name: actions_of(statements, "dynamodb") for name, statements in allowed(dev).items()}
    assert table["officer_auth"] == {"dynamodb:GetItem"}
    assert "dynamodb:DeleteItem" not in table["route_complaints"] | table["sla_sweep"]
    assert not any("dynamodb:Scan" in actions for actions in table.values())   # no function reads the whole table


def test_only_functions_that_email_may_send_email(dev):
    senders = {name for name, statements in allowed(dev).items() if actions_of(statements, "ses")}
    assert senders == {"sla_sweep", "daily_digest", "shift_digest"}


def test_email_is_sent_only_as_the_desk_sender(dev):
    sender = json.loads((ROOT / ".chalice" / "config.json").read_text())["environment_variables"]["SES_SENDER"]
    for statements in allowed(dev).values():
        for statement in statements:
            if actions_of([statement], "ses"):
                assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": sender}}


def test_digests_and_the_authorizer_cannot_touch_any_queue(dev):
    permitted = allowed(dev)
    assert [actions_of(permitted[name], "sqs") for name in ("daily_digest", "shift_digest", "officer_auth")] \
        == [set(), set(), set()]


def test_only_the_api_can_claim_from_district_queues_and_only_routers_consume_pipeline_queues(dev):
    receivers = {name for name, statements in allowed(dev).items()
                 if "sqs:ReceiveMessage" in actions_of(statements, "sqs")}
    assert receivers == {"api_handler", "route_complaints", "send_replies"}
    assert "sqs:ChangeMessageVisibility" not in actions_of(allowed(dev)["route_complaints"], "sqs")


def test_no_function_can_use_the_district_dead_letter_queue(dev):
    dlq = {"Fn::GetAtt": [logical_id(dev, "AWS::SQS::Queue", DISTRICT_DLQ), "Arn"]}
    roles = resources(dev, "AWS::IAM::Role")
    for props in functions(dev).values():
        statements = roles[props["Role"]["Fn::GetAtt"][0]]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        pattern_allowed = any("desk-district-*" in json.dumps(s["Resource"])
                              for s in statements if s["Effect"] == "Allow")
        denied = any(s["Effect"] == "Deny" and s["Resource"] == dlq for s in statements)
        assert denied or not pattern_allowed


def test_roles_carry_no_managed_policy_beyond_their_inline_one(dev):
    # AWSLambdaBasicExecutionRole, the usual one, would allow logs:CreateLogGroup on every resource.
    assert [r["Properties"].get("ManagedPolicyArns") for r in resources(dev, "AWS::IAM::Role").values()] \
        == [None] * len(FUNCTION_GRANTS)


def test_functions_write_only_their_own_log_group_and_cannot_create_one(dev):
    for name, statements in allowed(dev).items():
        log_actions = actions_of(statements, "logs")
        assert log_actions == {"logs:CreateLogStream", "logs:PutLogEvents"}
        resources_text = json.dumps([s["Resource"] for s in statements if actions_of([s], "logs")])
        assert f"/aws/lambda/{functions(dev)[name]['FunctionName']}:*" in resources_text


# --- alarms ----------------------------------------------------------------------------------------------------

def alarms(template: dict) -> list[dict]:
    return properties(template, "AWS::CloudWatch::Alarm")


def test_every_dead_letter_queue_has_an_alarm_on_any_message(dev):
    watched = {a["Dimensions"][0]["Value"]["Fn::GetAtt"][0] for a in alarms(dev)
               if a.get("MetricName") == "ApproximateNumberOfMessagesVisible" and a["Threshold"] == 0}
    assert watched == {logical_id(dev, "AWS::SQS::Queue", name) for name in dlq_names()}


def test_queues_read_by_lambda_alarm_when_a_message_waits_five_minutes(dev):
    watched = {a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]: a["Threshold"] for a in alarms(dev)
               if a.get("MetricName") == "ApproximateAgeOfOldestMessage"}
    assert watched == {logical_id(dev, "AWS::SQS::Queue", name): 300 for name in ("desk-routing", "desk-outbound")}


def test_every_function_has_an_errors_and_a_throttles_alarm(dev):
    watched = {(a["MetricName"], a["Dimensions"][0]["Value"])
               for a in alarms(dev) if a.get("Namespace") == "AWS/Lambda"}
    names = [props["FunctionName"] for props in functions(dev).values()]
    assert watched == {(metric, name) for metric in ("Errors", "Throttles") for name in names}


def test_server_errors_of_the_api_have_an_alarm(dev):
    # Chalice turns an exception in a route into a 500 answer: the API handler's Lambda Errors stay at zero.
    api = next(iter(properties(dev, "AWS::Serverless::Api")))
    (alarm,) = [a for a in alarms(dev) if a.get("Namespace") == "AWS/ApiGateway"]
    assert (alarm["MetricName"], alarm["Threshold"]) == ("5XXError", 0)
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"ApiName": api["DefinitionBody"]["info"]["title"],
                                                                    "Stage": api["StageName"]}


def test_sla_breach_alarm_sums_the_metric_the_sweep_emits(dev, monkeypatch, capsys):
    from chalicelib.observability import count

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    count("SlaBreaches", district="rj-jodhpur")     # what sla_service.claim emits on a breach
    emf = json.loads(capsys.readouterr().out.splitlines()[-1])["_aws"]["CloudWatchMetrics"][0]
    (query,) = [a["Metrics"][0]["Expression"] for a in alarms(dev) if "Metrics" in a]
    assert query == (f"SELECT SUM({emf['Metrics'][0]['Name']}) FROM SCHEMA({emf['Namespace']}, "
                     f"{', '.join(emf['Dimensions'][0])})")


def test_every_alarm_notifies_the_alarm_topic_which_mails_the_configured_address(dev):
    (topic,) = resources(dev, "AWS::SNS::Topic")
    assert all(a["AlarmActions"] == [{"Ref": topic}] for a in alarms(dev))
    (subscription,) = properties(dev, "AWS::SNS::Subscription")
    assert (subscription["Protocol"], subscription["Endpoint"], subscription["TopicArn"]) \
        == ("email", ALARM_EMAIL, {"Ref": topic})
