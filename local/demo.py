"""What the local stack starts with: the deployment's table and queues, then demo data (districts, logins)."""
from __future__ import annotations


def create_stack_resources() -> None:
    from chalicelib import aws, wiring
    from chalicelib.resources import create_resources

    settings = wiring.settings()
    create_resources(aws.client("dynamodb"), aws.client("sqs"), aws.client("ses"),
                     settings.table_name, settings.ses_sender)


def seed(api_url: str) -> None:
    """Demo content once the API is up. Districts come from the registry data file, so none are written here."""
