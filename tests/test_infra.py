"""infra/: the CDK stack synthesizes offline with the same table and queues the tests and the local stack use."""
import os

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    import aws_cdk as cdk
    from aws_cdk.assertions import Template

    from infra.stacks import ComplaintDeskStack

    cwd = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cdk"))  # the Chalice construct writes chalice.out/ into the working directory
    try:
        app = cdk.App(outdir=os.getcwd())
        return Template.from_stack(ComplaintDeskStack(app, "dev"))
    finally:
        os.chdir(cwd)


def test_table_has_the_worklist_and_sparse_sla_indexes(template):
    from aws_cdk.assertions import Match

    template.has_resource_properties("AWS::DynamoDB::Table", {
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": Match.array_with([Match.object_like({"IndexName": "worklist"}),
                                                    Match.object_like({"IndexName": "sla"})]),
    })


def test_every_queue_has_a_dead_letter_queue(template):
    from chalicelib.resources import dlq_names, queue_specs

    queues = template.find_resources("AWS::SQS::Queue")
    with_redrive = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    assert len(with_redrive) == len(queue_specs())
    assert len(queues) == len(queue_specs()) + len(dlq_names())


def test_every_dead_letter_queue_has_an_alarm(template):
    from chalicelib.resources import dlq_names

    assert len(template.find_resources("AWS::CloudWatch::Alarm")) >= len(dlq_names())


def test_queue_handlers_report_partial_batch_failures(template):
    functions = template.find_resources("AWS::Serverless::Function")
    sqs_events = [event for f in functions.values() for event in f["Properties"].get("Events", {}).values()
                  if event["Type"] == "SQS"]
    assert sqs_events
    assert all(event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for event in sqs_events)


def test_secrets_come_from_ssm_not_from_code(template):
    functions = template.find_resources("AWS::Serverless::Function")
    variables = next(iter(functions.values()))["Properties"]["Environment"]["Variables"]
    assert "dev-x-consumer-secret" not in str(variables)
    assert "Ref" in str(variables["X_CONSUMER_SECRET"])
