"""Officer desk fixtures: officers of each role with their bearer tokens, complaints routed to a district."""
from datetime import timedelta

import pytest

from chalicelib.model import AuditEvent, Complaint, Status, iso, new_id, utc_now
from chalicelib.resources import district_queue_name
from tests.conftest import moto_account


@pytest.fixture(scope="module")
def shared_aws():
    """One moto account for a whole module, for tests that only add complaints of their own (creating the
    desk's ~130 queues takes most of a second, and the access table multiplies tests by routes)."""
    with moto_account() as settings:
        yield settings


@pytest.fixture
def officer_headers(aws):
    """officer_headers(id, role, state=, district=) -> Authorization headers of a freshly created officer."""
    from chalicelib import wiring
    from chalicelib.officer_admin import create_officer
    from chalicelib.tokens import issue_token

    def make(officer_id: str, role: str, state: str | None = None, district: str | None = None) -> dict:
        officer = wiring.officers().get(officer_id) or create_officer(
            wiring.officers(), wiring.registry(), officer_id, officer_id, role, "password-1",
            state=state, district=district)
        return {"Authorization": f"Bearer {issue_token(officer, aws.jwt_secret, utc_now(), timedelta(hours=1))}"}

    return make


@pytest.fixture
def jaipur(officer_headers):
    return officer_headers("jaipur-1", "district_officer", district="rj-jaipur")


@pytest.fixture
def balotra(officer_headers):
    return officer_headers("balotra-1", "district_officer", district="rj-balotra")


@pytest.fixture
def rj_hq(officer_headers):
    return officer_headers("rj-hq-1", "hq_operator", state="rj")


@pytest.fixture
def up_hq(officer_headers):
    return officer_headers("up-hq-1", "hq_operator", state="up")


@pytest.fixture
def routed(store, queues):
    """routed(district, **fields) -> a complaint stored, ROUTED to that district with its clock running and its
    message in the district queue, as the router leaves it."""
    def make(district: str = "rj-jaipur", *, state: str = "rj", received_ago: timedelta = timedelta(minutes=5),
             **fields) -> Complaint:
        received = utc_now() - received_ago
        complaint = Complaint(
            id=new_id(received), state=state, desk=f"{state}-hq", platform=fields.pop("platform", "x"),
            external_id=fields.pop("external_id", new_id()), kind="post", desk_account_id="1000000001",
            author_id="2000000001", author_handle="citizen_one", author_name="Citizen One",
            text=fields.pop("text", "mera mobile chori ho gaya"), created_at=iso(received), received_at=iso(received))
        store.add_new(complaint, AuditEvent(complaint.id, complaint.received_at, "platform:x", "received", {}))
        routed_complaint = complaint.evolve(status=Status.ROUTED, district=district, routed_at=iso(received),
                                            sla_due_at=iso(received + timedelta(hours=2)), **fields)
        saved = store.update(complaint, routed_complaint,
                             AuditEvent(complaint.id, iso(received), "system:router", "routed", {"district": district}))
        queues.send(district_queue_name(district), {"complaint_id": complaint.id, "district": district})
        return saved

    return make


@pytest.fixture
def desk_with_lease(store, queues):
    """desk_with_lease(seconds) -> the desk service with a short claim lease, to watch a lease end."""
    from chalicelib.desk import Desk
    from chalicelib.districts import load_registry

    return lambda seconds: Desk(store, queues, load_registry(), seconds, reply_clients={})


TEST_QUEUES = ("desk-outbound", "desk-district-rj-jaipur", "desk-district-rj-jaipur-rural", "desk-district-rj-hq",
               "desk-district-rj-balotra", "desk-district-up-lucknow")


@pytest.fixture
def emptied(shared_aws):
    """After the test: no complaints in the table and no visible messages in the queues these tests use, for the
    next test on shared_aws (moto allows one PurgeQueue a minute, so they are drained; leased ones stay hidden)."""
    yield
    import boto3

    from chalicelib import wiring
    from tests.conftest import drain

    table = boto3.resource("dynamodb").Table(shared_aws.table_name)
    for item in table.scan(ProjectionExpression="pk, sk")["Items"]:
        if item["pk"].startswith(("C#", "EXT#")):
            table.delete_item(Key=item)
    for name in TEST_QUEUES:
        drain(wiring.queues(), name)
