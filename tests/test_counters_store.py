"""The store counts each complaint change in the same transaction as the change (digest counters)."""
import pytest

from chalicelib.analytics_table import AnalyticsTable
from chalicelib.model import AuditEvent, Complaint, Status
from chalicelib.store import VersionConflictError


def new_complaint(complaint_id="01JAAAAAAAAAAAAAAAAAAAAAAA", **changes) -> Complaint:
    base = Complaint(id=complaint_id, state="rj", desk="rj-hq", platform="x", external_id=complaint_id,
                     kind="post", desk_account_id="1", author_id="9", author_handle="citizen", author_name="A Citizen",
                     text="meri bike chori ho gayi", created_at="2026-11-23T03:00:00.000Z",
                     received_at="2026-11-23T03:00:00.000Z")
    return base.evolve(**changes)


def stored(store, complaint):
    store.add_new(complaint, AuditEvent(complaint.id, complaint.received_at, "platform:x", "received"))
    return store.get(complaint.id)


@pytest.fixture
def analytics(aws):
    return AnalyticsTable(aws.table_name)


def day_row(analytics, district, day="2026-11-23"):
    return next((r for r in analytics.counter_rows("rj", [day]) if r["district"] == district), {})


def test_a_new_complaint_counts_as_received_under_its_india_day(store, analytics):
    stored(store, new_complaint(received_at="2026-11-22T19:00:00.000Z"))   # 00:30 on the 23rd in India

    assert day_row(analytics, "-")["received"] == 1
    assert day_row(analytics, "-", day="2026-11-22") == {}


def test_a_redelivered_complaint_is_not_counted_twice(store, analytics):
    stored(store, new_complaint())
    with pytest.raises(Exception):
        stored(store, new_complaint(complaint_id="01JBBBBBBBBBBBBBBBBBBBBBBB", external_id="01JAAAAAAAAAAAAAAAAAAAAAAA"))

    assert day_row(analytics, "-")["received"] == 1


def test_routing_counts_category_district_and_hour(store, analytics):
    before = stored(store, new_complaint())
    store.update(before, before.evolve(status=Status.ROUTED, district="rj-jodhpur", category="vehicle_theft",
                                       group="property_crime", routed_at="2026-11-23T03:01:00.000Z",
                                       sla_due_at="2026-11-23T05:00:00.000Z"))

    row = day_row(analytics, "rj-jodhpur")
    assert (row["actionable"], row["routed"], row["cat#vehicle_theft"], row["grp#property_crime"]) == (1, 1, 1, 1)
    hour = analytics.counter_rows("rj", ["2026-11-23T08"])
    assert [r["routed"] for r in hour if r["district"] == "rj-jodhpur"] == [1]


def test_a_change_that_loses_its_version_race_counts_nothing(store, analytics):
    before = stored(store, new_complaint())
    routed = before.evolve(status=Status.ROUTED, district="rj-jodhpur", routed_at="2026-11-23T03:01:00.000Z")
    store.update(before, routed)
    with pytest.raises(VersionConflictError):
        store.update(before, routed)

    assert day_row(analytics, "rj-jodhpur")["routed"] == 1


def test_a_breach_is_listed_open_until_the_first_response(store, analytics):
    new = stored(store, new_complaint())
    routed = store.update(new, new.evolve(status=Status.ROUTED, district="rj-jodhpur",
                                          routed_at="2026-11-23T03:01:00.000Z", sla_due_at="2026-11-23T05:00:00.000Z"))
    breached = store.update(routed, routed.evolve(breached_at="2026-11-23T05:00:30.000Z"))
    assert [b["complaint_id"] for b in analytics.open_breaches("rj", 10)] == [routed.id]

    store.update(breached, breached.first_responded("2026-11-23T05:10:00.000Z"))

    assert analytics.open_breaches("rj", 10) == []
    row = day_row(analytics, "rj-jodhpur")
    assert (row["breached"], row["first_responded"], row.get("sla_met", 0)) == (1, 1, 0)


def test_a_transaction_cancelled_by_a_concurrent_counter_update_is_tried_again():
    from botocore.exceptions import ClientError

    from chalicelib.store import ComplaintStore

    class ConflictOnce:
        """A table whose first transaction collides with another one on a shared counter item."""
        def __init__(self):
            self.calls = 0
            self.meta = self
            self.client = self

        def Table(self, name):  # noqa: N802 (boto3's name)
            return self

        def transact_write_items(self, TransactItems):  # noqa: N803
            self.calls += 1
            if self.calls == 1:
                raise ClientError({"Error": {"Code": "TransactionCanceledException"},
                                   "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}]},
                                  "TransactWriteItems")

    table = ConflictOnce()
    complaint = new_complaint()
    ComplaintStore("desk", dynamodb=table).add_new(complaint, AuditEvent(complaint.id, complaint.received_at,
                                                                         "platform:x", "received"))

    assert table.calls == 2


def test_even_a_change_that_completes_everything_at_once_touches_each_item_once_and_few_of_them():
    from chalicelib.analytics_table import change_actions

    everything = new_complaint(status=Status.RESOLVED, district="rj-jodhpur", category="theft", group="property_crime",
                               routed_at="2026-11-23T18:40:00.000Z", sla_due_at="2026-11-23T20:00:00.000Z",
                               first_response_at="2026-11-23T21:00:00.000Z", resolved_at="2026-11-24T09:00:00.000Z")

    actions = change_actions(None, everything)

    keys = [(body["Key"]["pk"], body["Key"]["sk"]) for action in actions for body in action.values()]
    assert len(keys) == len(set(keys)) <= 12     # DynamoDB refuses a transaction that names one item twice


def test_the_count_of_open_breaches_follows_escalation_and_the_first_response(store, analytics):
    new = stored(store, new_complaint())
    routed = store.update(new, new.evolve(status=Status.ROUTED, district="rj-jodhpur",
                                          routed_at="2026-11-23T03:01:00.000Z", sla_due_at="2026-11-23T05:00:00.000Z"))
    breached = store.update(routed, routed.evolve(breached_at="2026-11-23T05:00:30.000Z"))
    assert analytics.open_breach_counts("rj") == {"rj-jodhpur": 1}

    escalated = store.update(breached, breached.evolve(district="rj-hq"))
    assert analytics.open_breach_counts("rj") == {"rj-hq": 1}

    store.update(escalated, escalated.first_responded("2026-11-23T05:10:00.000Z"))
    assert analytics.open_breach_counts("rj") == {}


def routed_in_jodhpur(complaint: Complaint) -> Complaint:
    return complaint.evolve(status=Status.ROUTED, district="rj-jodhpur", category="vehicle_theft",
                            group="property_crime", routed_at="2026-11-23T03:01:00.000Z",
                            sla_due_at="2026-11-23T05:00:00.000Z")


def ten_new(store) -> list[Complaint]:
    return [stored(store, new_complaint(f"01JAAAAAAAAAAAAAAAAAAAAA{n:02d}")) for n in range(10)]


def test_a_batch_of_changes_to_one_district_adds_to_its_counters_once_in_one_transaction(store, analytics):
    from bench.aws_calls import counting_aws_calls

    complaints = ten_new(store)
    with counting_aws_calls() as calls:
        outcome = store.update_all([(c, routed_in_jodhpur(c), ()) for c in complaints])

    assert dict(calls.calls) == {"dynamodb.TransactWriteItems": 1}
    assert [outcome[c.id].version for c in complaints] == [c.version + 1 for c in complaints]
    assert (day_row(analytics, "rj-jodhpur")["routed"], day_row(analytics, "-")["received"]) == (10, 10)


def test_a_complaint_changed_by_someone_else_fails_alone_and_the_rest_of_the_batch_is_saved(store, analytics):
    first, *others = ten_new(store)
    store.update(first, first.evolve(author_name="changed meanwhile"))

    outcome = store.update_all([(c, routed_in_jodhpur(c), ()) for c in [first, *others]])

    assert isinstance(outcome[first.id], VersionConflictError)
    assert store.get(first.id).status == Status.NEW
    assert all(store.get(c.id).status == Status.ROUTED for c in others)
    assert day_row(analytics, "rj-jodhpur")["routed"] == 9


def test_a_complaint_dynamodb_refuses_fails_alone_and_the_rest_of_the_batch_is_saved(store):
    first, *others = ten_new(store)
    oversized = routed_in_jodhpur(first).evolve(text="x" * 500_000)   # over DynamoDB's 400 KB item limit

    outcome = store.update_all([(first, oversized, ())] + [(c, routed_in_jodhpur(c), ()) for c in others])

    assert not isinstance(outcome[first.id], Complaint) and store.get(first.id).status == Status.NEW
    assert all(store.get(c.id).status == Status.ROUTED for c in others)


def test_changes_beyond_one_transactions_limit_are_split_between_transactions(store, analytics):
    from bench.aws_calls import counting_aws_calls

    complaints = [stored(store, new_complaint(f"01JAAAAAAAAAAAAAAAAAAAA{n:03d}")) for n in range(60)]
    events = [AuditEvent(c.id, "2026-11-23T03:01:00.000Z", "system:router", "routed") for c in complaints]
    with counting_aws_calls() as calls:
        outcome = store.update_all([(c, routed_in_jodhpur(c), (e,)) for c, e in zip(complaints, events)])

    assert calls.count("dynamodb.TransactWriteItems") == 2 and len(outcome) == 60
    assert day_row(analytics, "rj-jodhpur")["routed"] == 60
