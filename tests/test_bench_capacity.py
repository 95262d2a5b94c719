"""The billing rules bench/capacity.py applies to what the desk writes and reads (DynamoDB on-demand, SQS)."""
from bench.capacity import CapacityMeter, item_size


def test_item_size_counts_attribute_names_and_values():
    assert item_size({"pk": "C#1", "n": 12345, "flag": True}) == (2 + 3) + (1 + 4) + (4 + 1)


def test_a_transactional_write_costs_two_units_per_started_kilobyte(store):
    from chalicelib.model import AuditEvent, Complaint

    complaint = Complaint(id="01TESTCAPACITY000000000001", state="rj", desk="rj-hq", platform="x", external_id="1",
                          kind="post", desk_account_id="1", author_id="2", author_handle="a", author_name=None,
                          text="x" * 1500, created_at="2026-11-23T00:00:00Z", received_at="2026-11-23T00:00:00Z")
    meter = CapacityMeter()
    meter.register([store.table.meta.client])
    store.add_new(complaint, AuditEvent(complaint.id, complaint.received_at, "platform:x", "received", {}))
    units = meter.units({})
    assert units["wru_by_kind"]["complaint"] == 2 * 2       # about 1.6 KB: two started kilobytes, twice
    assert units["wru_by_kind"]["dedupe guard"] == 2


def test_an_item_moving_in_an_index_costs_a_delete_and_a_write():
    meter = CapacityMeter()
    meter._note_index_writes({"pk": "C#1", "sk": "COMPLAINT", "gsi1pk": "D#a", "gsi1sk": "ROUTED#1"})
    meter._note_index_writes({"pk": "C#1", "sk": "COMPLAINT", "gsi1pk": "D#a", "gsi1sk": "RESPONDED#1"})
    assert meter.index_wru == 1 + 2


def test_sqs_bills_each_64_kilobytes_of_a_batch_as_one_request(queues):
    queues.url("desk-routing")   # known already, as in a warm container
    meter = CapacityMeter()
    meter.register([queues.sqs])
    queues.send_batch("desk-routing", [{"text": "x" * 30_000} for _ in range(3)])
    assert (meter.sqs_requests, meter.sqs_billed) == (1, 2)
