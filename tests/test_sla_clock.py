"""The clock through the app: the router starts it, the desk's own reply on X stops it, the schedule emails in
India time through SES (moto), and notice emails keep sensitive complaints private."""
import email
import json
from datetime import datetime, timedelta
from email import policy

from chalicelib import routing, sla, wiring
from chalicelib.model import DESK_REPLY, AuditEvent, Complaint, Status, iso, new_id, utc_now
from chalicelib.platforms import x
from chalicelib.sla_mail import render_notice
from local.samples import RAJASTHAN_DESK_ID, tweet, x_delivery
from tests.test_meta_webhook import post_meta  # noqa: F401 (fixture)

CITIZEN_TWEET = "1790000000000000001"


def x_time(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


def desk_reply(reply_id: str, to: str | None, at: datetime) -> dict:
    event = tweet("@citizen_one we have asked the Jodhpur police to help", tweet_id=reply_id,
                  author_id=RAJASTHAN_DESK_ID, handle="PoliceRajasthan", reply_to=to)
    event["created_at"] = x_time(at)
    return event


def routed_complaint(post_x, store, queues):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan jodhpur me mera mobile chori ho gaya", tweet_id=CITIZEN_TWEET)]))
    complaint = store.find_by_external("x", CITIZEN_TWEET)
    return routing.route_complaint(complaint.id, store, queues, wiring.registry(), wiring.sla_rules())


def test_the_desks_own_reply_on_x_is_a_desk_reply_to_the_post_it_answers():
    [post] = x.parse_delivery(x_delivery(tweets=[desk_reply("1790000000000000002", CITIZEN_TWEET, utc_now())]))
    assert (post.kind, post.reply_to_id, post.external_id) == (DESK_REPLY, CITIZEN_TWEET, "1790000000000000002")


def test_the_desks_own_posts_and_retweets_are_still_dropped():
    own_post = desk_reply("1790000000000000003", None, utc_now())
    own_retweet = {**desk_reply("1790000000000000004", CITIZEN_TWEET, utc_now()), "retweeted_status": {"id_str": "1"}}
    assert x.parse_delivery(x_delivery(tweets=[own_post, own_retweet])) == []


def test_the_router_starts_the_clock_with_the_configured_rules(post_x, store, queues):
    post_x(x_delivery(tweets=[tweet("@PoliceRajasthan jodhpur me mera mobile chori ho gaya", tweet_id="41")]))
    complaint = store.find_by_external("x", "41")
    routed = routing.route_complaint(complaint.id, store, queues, wiring.registry(), sla.load_rules(scale=0.5))
    assert routed.sla_window_seconds == sla.window_for(routed, sla.load_rules()).total_seconds() / 2


def test_the_desk_replying_on_x_is_the_first_response(post_x, store, queues):
    complaint = routed_complaint(post_x, store, queues)
    answered_at = utc_now().replace(microsecond=0)
    response = post_x(x_delivery(tweets=[desk_reply("1790000000000000005", CITIZEN_TWEET, answered_at)]))
    answered = store.get(complaint.id)
    assert response.json_body["first_responses_recorded"] == 1
    assert (answered.status, answered.first_response_at) == (Status.RESPONDED, iso(answered_at))
    event = next(e for e in store.audit_trail(complaint.id) if e["action"] == "first_response")
    assert (event["actor"], event["details"]) == ("platform:x", {"channel": "platform_reply"})
    assert store.due_before("2099-01-01T00:00:00.000Z") == ([], None)


def test_the_page_answering_a_facebook_comment_is_the_first_response(post_meta, store, queues):
    from local.samples import RAJASTHAN_PAGE_ID, facebook_feed, meta_delivery

    post_meta(meta_delivery("facebook", facebook_feed("Jodhpur me mera phone chori ho gaya", comment_id="1_30")))
    complaint = store.find_by_external("facebook", "1_30")
    routing.route_complaint(complaint.id, store, queues, wiring.registry(), wiring.sla_rules())
    response = post_meta(meta_delivery("facebook", facebook_feed("We are on it", comment_id="1_31", parent_id="1_30",
                                                                 author_id=RAJASTHAN_PAGE_ID)))
    assert response.json_body["first_responses_recorded"] == 1
    assert store.get(complaint.id).status == Status.RESPONDED


def test_a_reply_the_desk_posted_itself_is_not_counted_again(post_x, store, queues):
    complaint = routed_complaint(post_x, store, queues)
    store.record_reply_sent("01REPLY", "x", "1790000000000000006", AuditEvent(
        complaint.id, iso(utc_now()), "system:router", "reply_sent", {"purpose": "acknowledgement"}))
    response = post_x(x_delivery(tweets=[desk_reply("1790000000000000006", CITIZEN_TWEET, utc_now())]))
    assert response.json_body["ignored"] == 1 and store.get(complaint.id).first_response_at is None


def test_a_desk_reply_to_a_post_the_desk_never_stored_is_ignored(post_x, store):
    response = post_x(x_delivery(tweets=[desk_reply("1790000000000000007", "1790000000000009999", utc_now())]))
    assert (response.json_body["ignored"], response.json_body["first_responses_recorded"]) == (1, 0)


def sent_emails() -> list:
    from moto.ses.models import ses_backends

    return [email.message_from_bytes(m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data,
                                     policy=policy.default)
            for m in ses_backends["123456789012"]["ap-south-1"].sent_messages]


def test_the_schedule_sweeps_and_emails_hq_with_times_in_india_time(client, store, monkeypatch):
    monkeypatch.setenv("SLA_SWEEP_TIME_RESERVE_MS", "0")   # chalice.test's Lambda context has only 3 s
    wiring.settings.cache_clear()
    received = utc_now().replace(second=0, microsecond=0) - timedelta(minutes=121)
    india = timedelta(hours=5, minutes=30)
    complaint = Complaint(id=new_id(received), state="rj", desk="rj-hq", platform="x", external_id="42", kind="post",
                          desk_account_id=RAJASTHAN_DESK_ID, author_id="2", author_handle="citizen_one",
                          author_name="Citizen", text="mobile chori", created_at=iso(received),
                          received_at=iso(received))
    store.add_new(complaint, AuditEvent(complaint.id, iso(received), "platform:x", "received"))
    store.update(complaint, complaint.evolve(status=Status.ROUTED, district="rj-jodhpur", priority="P2",
                                             routed_at=iso(received), sla_due_at=iso(received + timedelta(hours=2)),
                                             sla_notices_sent=("reminder_50", "reminder_80")))
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], region="ap-south-1")

    report = client.lambda_.invoke("sla_sweep", event).payload

    assert report["sent"] == [f"{complaint.id} breach"]
    [message] = sent_emails()
    assert message["To"] == "sm-cell-hq@rajpolice.example.in"
    due_in_india = (received + timedelta(hours=2) + india).strftime("%d %b %Y, %H:%M IST")
    received_in_india = (received + india).strftime("%d %b %Y, %H:%M IST")
    assert complaint.reference in message["Subject"] and due_in_india in message["Subject"]
    assert received_in_india in message.get_body().get_content()


def test_a_sensitive_complaints_notice_names_no_one_and_quotes_nothing():
    complaint = Complaint(id=new_id(), state="rj", desk="rj-hq", platform="x", external_id="43", kind="post",
                          desk_account_id=RAJASTHAN_DESK_ID, author_id="2000000099", author_handle="victim_family",
                          author_name="Sunita Devi", text="meri beti ke saath Bhimsar gaon mein galat kaam hua",
                          created_at="2026-11-23T04:00:00.000Z", received_at="2026-11-23T04:00:00.000Z",
                          status=Status.ROUTED, district="rj-jodhpur", sensitive=True, category="rape",
                          sla_due_at="2026-11-23T04:15:00.000Z")
    notice = render_notice(complaint, sla.NOTICE_BY_NAME["breach"], "Jodhpur Police Commissionerate")
    content = notice.subject + notice.text
    assert [word for word in ("victim_family", "Sunita", "Bhimsar", "beti", "2000000099", "rape")
            if word in content] == []
    assert complaint.reference in notice.subject and "sensitive" in notice.text


def test_the_sweep_runs_every_minute():
    import app

    [schedule] = [s for s in app.app.event_sources if s.name == "sla_sweep"]
    assert json.dumps(schedule.schedule_expression.to_string()) == '"rate(1 minute)"'


def test_received_and_routed_complaints_are_counted(post_x, store, queues, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    routed_complaint(post_x, store, queues)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    by_name = {line["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]: line for line in lines}
    assert (by_name["ComplaintsReceived"]["platform"], by_name["ComplaintsReceived"]["state"]) == ("x", "rj")
    assert by_name["ComplaintsRouted"]["district"] == "rj-jodhpur"
