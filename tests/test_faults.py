"""The fault injector of the local runner (local/faults.py): off unless asked, and its failures happen where a
real Lambda's would: a hang is given up at the deadline and does nothing more, an exception after a write leaves
the write done."""
import pytest

from local.faults import (FaultInjector, FaultPlan, FaultyAdapter, HandlerTimedOutError, InjectedFaultError,
                          Invocation, invoker_from_env)
from local.runner import LambdaContext, call_handler


class RecordingQueues:
    def __init__(self):
        self.sent = []

    def send(self, queue, body):
        self.sent.append(body)


def injector_failing(point: str, kind: str) -> FaultInjector:
    injector = FaultInjector(FaultPlan(rate=1.0, deadline_seconds=0.2))
    injector.plan_invocation = lambda handler: Invocation(handler, point, kind)
    return injector


def handler_sending_twice(queues):
    def handler(event, context):
        queues.send("desk-outbound", {"n": 1})
        queues.send("desk-outbound", {"n": 2})
        return {"batchItemFailures": []}
    return handler


def test_without_fault_variables_the_runner_calls_handlers_as_they_are():
    assert invoker_from_env(call_handler, env={}) is call_handler


def test_a_hang_is_given_up_at_the_deadline_and_does_nothing_more():
    real = RecordingQueues()
    injector = injector_failing("after write 1", "timeout")
    queues = FaultyAdapter(real, injector)

    with pytest.raises(HandlerTimedOutError):
        injector.invoke(handler_sending_twice(queues), {}, LambdaContext("send_replies"))

    assert real.sent == [{"n": 1}]


def test_an_exception_after_a_write_leaves_the_write_done():
    real = RecordingQueues()
    injector = injector_failing("after write 1", "exception")

    with pytest.raises(InjectedFaultError):
        injector.invoke(handler_sending_twice(FaultyAdapter(real, injector)), {}, LambdaContext("route_complaints"))

    assert real.sent == [{"n": 1}]


def test_handlers_not_named_in_the_plan_never_fail():
    real = RecordingQueues()
    injector = injector_failing("before work", "exception")

    result = injector.invoke(handler_sending_twice(FaultyAdapter(real, injector)), {}, LambdaContext("sla_sweep"))

    assert result == {"batchItemFailures": []} and len(real.sent) == 2


def test_a_handler_reads_the_time_left_before_the_deadline():
    injector = injector_failing("never", "exception")

    left = injector.invoke(lambda event, context: context.get_remaining_time_in_millis(), {},
                           LambdaContext("send_replies"))

    assert 0 < left <= 200
