"""Wiring only: each route and handler hands its input to one function in chalicelib."""
import functools

from chalice import AuthResponse, Chalice, Cron, Rate, Response

from chalicelib import api, auth, desk, intake, observability, officers, replies, routing, sla_service, static_files
from chalicelib import wiring
from chalicelib.digest_service import send_daily_digests, send_due_shift_digests
from chalicelib.resources import OUTBOUND_QUEUE, ROUTING_QUEUE
from chalicelib.sla import SlaClockError
from chalicelib.store import ComplaintNotFoundError, VersionConflictError

app = Chalice(app_name="complaint-desk")
JSON_AND_TEXT = ["application/json", "text/plain", "application/octet-stream"]
ERROR_STATUS = {
    intake.WebhookError: None,
    api.BadRequestError: 400,
    ComplaintNotFoundError: 404,
    VersionConflictError: 409,
    SlaClockError: 409,
    auth.LoginFailedError: 401,
    officers.ForbiddenError: 403,
    desk.ComplaintStateError: 409,
    static_files.AssetNotFoundError: 404,
}


app.register_middleware(observability.observe, "all")


def http_errors(view):
    """Domain errors become HTTP answers here, and only here (Chalice middleware sees them too late)."""
    @functools.wraps(view)
    def answer(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except tuple(ERROR_STATUS) as error:
            status = getattr(error, "status", None) or ERROR_STATUS[type(error)]
            return Response({"error": str(error)}, status_code=status)
    return answer


@app.authorizer(ttl_seconds=60)   # API Gateway caches a token's answer this long: revocation lag in AWS
def officer_auth(auth_request):
    principal = auth.authorize(auth_request.token, wiring.settings().jwt_secret, wiring.officers())
    if principal is None:
        return AuthResponse(routes=[], principal_id="anonymous")
    return AuthResponse(routes=["*"], principal_id=principal.officer_id, context=principal.to_context())


def officer():
    return auth.principal_of(app.current_request.context)


@app.route("/auth/login", methods=["POST"])
@http_errors
def login():
    return auth.login(app.current_request.raw_body, wiring.officers(), wiring.settings())


@app.route("/webhooks/x", methods=["GET"])
@http_errors
def x_crc():
    return intake.answer_x_crc(app.current_request.query_params, wiring.settings().x_consumer_secret)


@app.route("/webhooks/x", methods=["POST"], content_types=JSON_AND_TEXT)
@http_errors
def x_webhook():
    request = app.current_request
    return intake.receive_webhook(wiring.x_webhook(), request.raw_body, request.headers,
                                  wiring.store(), wiring.queues()).to_dict()


@app.route("/webhooks/meta", methods=["GET"])
@http_errors
def meta_subscription():
    challenge = intake.answer_meta_subscription(app.current_request.query_params, wiring.settings().meta_verify_token)
    return Response(challenge, headers={"Content-Type": "text/plain"})


@app.route("/webhooks/meta", methods=["POST"], content_types=JSON_AND_TEXT)
@http_errors
def meta_webhook():
    request = app.current_request
    return intake.receive_webhook(wiring.meta_webhook(), request.raw_body, request.headers,
                                  wiring.store(), wiring.queues()).to_dict()


@app.route("/desk", methods=["GET"])
def desk_page():
    return static_files.desk_page()


@app.route("/desk/{asset}", methods=["GET"])
@http_errors
def desk_asset(asset):
    return static_files.desk_asset(asset)


@app.route("/api/openapi.json", methods=["GET"], authorizer=officer_auth)
def openapi_document():
    return static_files.openapi_document()


@app.route("/api/districts", methods=["GET"], authorizer=officer_auth)
@http_errors
def districts():
    return wiring.desk().districts(officer())


@app.route("/api/me", methods=["GET"], authorizer=officer_auth)
@http_errors
def who_am_i():
    return officer().to_context()


@app.route("/api/worklist", methods=["GET"], authorizer=officer_auth)
@http_errors
def worklist():
    return wiring.desk().worklist(officer(), app.current_request.query_params)


@app.route("/api/claims", methods=["POST"], authorizer=officer_auth)
@http_errors
def claim_next():
    return wiring.desk().claim_next(officer(), app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}", methods=["GET"], authorizer=officer_auth)
@http_errors
def get_complaint(complaint_id):
    return api.complaint_view(wiring.store(), officer(), complaint_id)


@app.route("/api/complaints/{complaint_id}", methods=["PATCH"], authorizer=officer_auth)
@http_errors
def correct_complaint(complaint_id):
    return wiring.desk().correct(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/replies", methods=["POST"], authorizer=officer_auth)
@http_errors
def reply_to_citizen(complaint_id):
    return wiring.desk().reply(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/notes", methods=["POST"], authorizer=officer_auth)
@http_errors
def add_note(complaint_id):
    return wiring.desk().add_note(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/resolve", methods=["POST"], authorizer=officer_auth)
@http_errors
def resolve_complaint(complaint_id):
    return wiring.desk().resolve(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/reroute", methods=["POST"], authorizer=officer_auth)
@http_errors
def reroute_complaint(complaint_id):
    return wiring.desk().reroute(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/clock/pause", methods=["POST"], authorizer=officer_auth)
@http_errors
def pause_clock(complaint_id):
    return wiring.desk().pause_clock(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints/{complaint_id}/clock/resume", methods=["POST"], authorizer=officer_auth)
@http_errors
def resume_clock(complaint_id):
    return wiring.desk().resume_clock(officer(), complaint_id, app.current_request.raw_body)


@app.route("/api/complaints", methods=["GET"], authorizer=officer_auth)
@http_errors
def find_complaint():
    return api.find_complaint_view(wiring.store(), officer(), app.current_request.query_params)


@app.on_sqs_message(queue=ROUTING_QUEUE, batch_size=10)
def route_complaints(event):
    return routing.route_batch(event, wiring.store(), wiring.queues(), wiring.registry(), wiring.sla_rules())


@app.schedule(Rate(1, unit=Rate.MINUTES))
def sla_sweep(event):
    return sla_service.run_sweep(event.time, wiring.store(), wiring.mailer(), wiring.queues(), wiring.registry(),
                                 wiring.settings(), event.context.get_remaining_time_in_millis)


@app.schedule(Cron(30, 2, "*", "*", "?", "*"))   # 08:00 India time
def daily_digest(event):
    return send_daily_digests(wiring.analytics(), wiring.mailer(), event.time, wiring.settings())


@app.schedule(Cron(30, "*", "*", "*", "?", "*"))   # every whole India hour; sends only at configured shift starts
def shift_digest(event):
    return send_due_shift_digests(wiring.analytics(), wiring.mailer(), event.time, wiring.settings())


@app.on_sqs_message(queue=OUTBOUND_QUEUE, batch_size=5)
def send_replies(event):
    return replies.send_batch(event, wiring.store(), wiring.queues(), wiring.reply_clients(),
                              event.context.get_remaining_time_in_millis, wiring.settings().reply_time_reserve_ms)
