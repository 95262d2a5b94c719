"""Officer accounts in the desk's table (pk OFFICER#<id>, sk PROFILE)."""
from __future__ import annotations

from chalicelib import aws
from chalicelib.officers import Officer
from chalicelib.store import from_dynamo


class OfficerExistsError(Exception):
    pass


class OfficerNotFoundError(Exception):
    pass


def officer_key(officer_id: str) -> dict:
    return {"pk": f"OFFICER#{officer_id}", "sk": "PROFILE"}


class OfficerStore(aws.TableAdapter):
    def add(self, officer: Officer) -> None:
        from botocore.exceptions import ClientError

        item = {**officer_key(officer.id), "type": "officer",
                **{k: v for k, v in officer.to_dict().items() if v is not None}}
        try:
            self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise OfficerExistsError(f"officer {officer.id} already exists") from exc
            raise

    def get(self, officer_id: str) -> Officer | None:
        item = self.table.get_item(Key=officer_key(officer_id), ConsistentRead=True).get("Item")
        return Officer.from_dict(from_dynamo(item)) if item else None

    def revoke_tokens(self, officer_id: str) -> Officer:
        """Raise the token version: every token issued before now is refused by the authorizer."""
        from botocore.exceptions import ClientError

        try:
            item = self.table.update_item(
                Key=officer_key(officer_id), ConditionExpression="attribute_exists(pk)",
                UpdateExpression="SET token_version = token_version + :one", ExpressionAttributeValues={":one": 1},
                ReturnValues="ALL_NEW")["Attributes"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise OfficerNotFoundError(officer_id) from exc
            raise
        return Officer.from_dict(from_dynamo(item))

    def all(self) -> list[Officer]:
        from boto3.dynamodb.conditions import Attr

        officers, kwargs = [], {"FilterExpression": Attr("type").eq("officer")}
        while True:
            page = self.table.scan(**kwargs)
            officers += [Officer.from_dict(from_dynamo(i)) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return sorted(officers, key=lambda o: o.id)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
