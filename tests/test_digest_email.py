"""Digest emails end to end on moto: complaints go through the store, counters fill, the schedule emails HQ."""
import email
from datetime import timedelta
from email import policy

import pytest

from chalicelib import digest_service, wiring
from chalicelib.counters import IST as INDIA
from chalicelib.model import AuditEvent, Complaint, Status, iso, parse_iso

DAILY_RUN = "2026-11-23T02:30:00Z"            # 08:00 India time: the digest of 22 November
ADDRESSES = ["dgp-office@rajpolice.example.in", "sm-cell-hq@rajpolice.example.in"]


def sent_emails() -> list:
    from moto.ses.models import ses_backends

    backend = ses_backends["123456789012"]["ap-south-1"]
    return [email.message_from_bytes(m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data,
                                     policy=policy.default) for m in backend.sent_messages]


def readable(message) -> str:
    """Subject and every text part, decoded (the bodies travel base64 or quoted-printable)."""
    return message["Subject"] + "".join(part.get_content() for part in message.walk()
                                        if part.get_content_type() in ("text/plain", "text/html"))


def complaint_through_the_store(store, number: int, *, received_at: str, district: str, category: str, group: str,
                                answered_after: timedelta | None, sensitive=False, text="meri bike chori ho gayi",
                                handle="citizen", name="A Citizen", breached=False) -> Complaint:
    complaint_id = f"01JA{number:022d}"
    new = Complaint(id=complaint_id, state="rj", desk="rj-hq", platform="x", external_id=complaint_id, kind="post",
                    desk_account_id="1", author_id="9", author_handle=handle, author_name=name, text=text,
                    created_at=received_at, received_at=received_at)
    store.add_new(new, AuditEvent(complaint_id, received_at, "platform:x", "received"))
    received = parse_iso(received_at)
    current = store.update(new, new.evolve(
        status=Status.ROUTED, district=district, category=category, group=group, actionable=True, sensitive=sensitive,
        routed_at=iso(received + timedelta(seconds=20)), sla_due_at=iso(received + timedelta(hours=2))))
    if breached:
        current = store.update(current, current.evolve(breached_at=iso(received + timedelta(hours=2, seconds=5))))
    if answered_after is not None:
        current = store.update(current, current.first_responded(iso(received + answered_after)))
    return current


@pytest.fixture
def day_of_complaints(store):
    complaint_through_the_store(store, 1, received_at="2026-11-22T04:00:00.000Z", district="rj-jodhpur",
                                category="vehicle_theft", group="property_crime", answered_after=timedelta(minutes=3))
    complaint_through_the_store(store, 2, received_at="2026-11-22T05:00:00.000Z", district="rj-balotra",
                                category="rumour_fake_news", group="misinformation", answered_after=timedelta(minutes=4))
    complaint_through_the_store(store, 3, received_at="2026-11-22T06:00:00.000Z", district="rj-jodhpur",
                                category="theft", group="property_crime", answered_after=None, breached=True)


def send_daily(run_at=DAILY_RUN):
    return digest_service.send_daily_digests(wiring.analytics(), wiring.mailer(), run_at, wiring.settings())


def test_the_daily_digest_goes_to_each_states_digest_addresses(day_of_complaints):
    runs = send_daily()

    assert [(r["state"], r["sent"]) for r in runs] == [("rj", True), ("up", True)]
    rajasthan = next(m for m in sent_emails() if "Rajasthan" in m["Subject"])
    assert rajasthan["To"].addresses[0].addr_spec == ADDRESSES[0] and len(rajasthan["To"].addresses) == 2


def test_the_digest_has_text_html_and_inline_charts_the_html_refers_to(day_of_complaints):
    send_daily()

    message = next(m for m in sent_emails() if "Rajasthan" in m["Subject"])
    types = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html"} <= set(types) and types.count("image/png") == 2
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    for image in (p for p in message.walk() if p.get_content_type() == "image/png"):
        assert f'cid:{image["Content-ID"].strip("<>")}' in html


def test_the_digest_reports_the_days_figures(day_of_complaints):
    send_daily()

    text = next(p for p in next(m for m in sent_emails() if "Rajasthan" in m["Subject"]).walk()
                if p.get_content_type() == "text/plain").get_content()
    assert "Received: 3" in text and "First responded: 2" in text and "SLA compliance: 66.7%" in text
    assert "Open breaches now: 1" in text
    assert "Misinformation answered within 5 min: 1 of 1 (100%)" in text
    assert "प्राप्त / Received" in text


def test_a_schedule_that_fires_twice_sends_one_digest(day_of_complaints):
    send_daily()
    second = send_daily()

    assert [r["sent"] for r in second] == [False, False]
    assert len(sent_emails()) == 2


def test_a_failed_send_leaves_the_digest_to_the_retry(aws, day_of_complaints):
    class BrokenMailer:
        def send(self, *args, **kwargs):
            raise ConnectionError("SES unreachable")

    with pytest.raises(ConnectionError):
        digest_service.send_daily_digests(wiring.analytics(), BrokenMailer(), DAILY_RUN, wiring.settings())

    assert [r["sent"] for r in send_daily()] == [True, True]


def test_shift_digests_go_out_only_at_configured_shift_starts(day_of_complaints):
    settings = wiring.settings()
    not_a_shift_start = digest_service.send_due_shift_digests(
        wiring.analytics(), wiring.mailer(), "2026-11-22T09:30:00Z", settings)      # 15:00 India time
    at_14 = digest_service.send_due_shift_digests(
        wiring.analytics(), wiring.mailer(), "2026-11-22T08:30:00Z", settings)      # 14:00 India time

    assert not_a_shift_start == []
    assert [r["period"] for r in at_14] == ["shift-2026-11-22T06-2026-11-22T14"] * 2


def test_a_daily_digest_reads_a_few_items_not_the_complaints(day_of_complaints):
    rajasthan = next(r for r in send_daily() if r["state"] == "rj")

    # 22 Nov: unassigned + 2 districts; 21 Nov: none; the open breach and Jodhpur's count of open breaches
    assert rajasthan["items_read"] == 5


def test_nothing_identifying_the_victim_of_a_sensitive_complaint_appears_in_the_digest(store):
    identifying = ["Sunita Meena", "sunita_meena_92", "Khejarli", "Luni thana", "9829012345", "FIR 114/2026"]
    complaint_through_the_store(
        store, 7, received_at="2026-11-22T04:00:00.000Z", district="rj-jodhpur-rural",
        category="rape_sexual_assault", group="women_children", sensitive=True, answered_after=None, breached=True,
        handle="sunita_meena_92", name="Sunita Meena",
        text="Sunita Meena of Khejarli village, Luni thana, FIR 114/2026 not registered, call 9829012345")

    send_daily()

    message = next(m for m in sent_emails() if "Rajasthan" in m["Subject"])
    content = readable(message)
    assert [word for word in identifying if word.lower() in content.lower()] == []
    assert "protected (sensitive)" in content and "Jodhpur Rural" in content


def test_the_schedule_handler_sends_the_daily_digest(client, day_of_complaints):
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], region="ap-south-1")
    event["time"] = DAILY_RUN

    response = client.lambda_.invoke("daily_digest", event)

    assert [r["sent"] for r in response.payload] == [True, True]


def test_the_daily_digest_fires_at_eight_india_time_and_the_shift_one_at_every_whole_india_hour():
    from datetime import datetime, timezone

    from chalice.app import ScheduledEventConfig

    import app
    from local.runner import cron_matches, schedule_string

    schedules = {s.name: schedule_string(s) for s in app.app.event_sources if isinstance(s, ScheduledEventConfig)}
    eight_india = datetime(2026, 11, 23, 8, 0, tzinfo=INDIA).astimezone(timezone.utc)
    assert cron_matches(schedules["daily_digest"], eight_india)
    assert not cron_matches(schedules["daily_digest"], eight_india + timedelta(hours=1))
    assert all(cron_matches(schedules["shift_digest"], eight_india + timedelta(hours=h)) for h in range(24))


def test_complaints_through_the_webhook_and_the_router_are_counted_in_todays_digest(client, post_x, store):
    import json

    from chalicelib.digest import daily_period
    from chalicelib.model import utc_now
    from local.samples import tweet, x_delivery
    from tests.test_routing import invoke_router

    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan Jodhpur me meri bike chori ho gayi", tweet_id="71"),
                              tweet("@PoliceRajasthan thank you for the quick help", tweet_id="72")]))
    ids = [store.find_by_external("x", tweet_id).id for tweet_id in ("71", "72")]
    invoke_router(client, *(json.dumps({"complaint_id": complaint_id}) for complaint_id in ids))

    now = utc_now()
    run = digest_service.send_digest("rj", daily_period(now.astimezone(INDIA).date()), wiring.analytics(),
                                     wiring.mailer(), now, 20)

    text = next(p for p in sent_emails()[0].walk() if p.get_content_type() == "text/plain").get_content()
    assert run.sent and "Received: 2" in text and "/ Actionable: 1" in text and "Not actionable: 1" in text
    assert "Vehicle theft (वाहन चोरी): 1" in text


def test_a_digest_asked_for_on_demand_is_sent_even_after_the_scheduled_one(day_of_complaints, capsys):
    from chalicelib import digest_cli

    send_daily()
    digest_cli.main(["--state", "rj", "--period", "daily", "--day", "2026-11-22"])

    assert '"sent": true' in capsys.readouterr().out
    assert len([m for m in sent_emails() if "Rajasthan" in m["Subject"]]) == 2
