"""Injected failures for the local runner, to show that nothing is lost or doubled when handlers fail.

Off unless FAULT_RATE is set (only `python -m local.runner` reads it; chalicelib never sees this module):
    FAULT_RATE=0.05            share of handler invocations that fail, each at one realistic point:
                               before any work, or just after its 1st/2nd/3rd write to the table
                               (after the DB write, before the queue send that would follow it)
    FAULT_SEED=7               the same seed fails the same invocations in the same order
    FAULT_HANDLERS=route_complaints,send_replies
    FAULT_DEADLINE_SECONDS=3   the local function timeout of those handlers
    FAULT_POISON_MARKER=...    a router bug: every complaint whose text holds this marker fails routing
                               (the message goes to the DLQ; restart without it = the fix, then replay)
A failure is an exception or, half the time, a hang: the invocation never returns, the runner gives up
at the deadline without deleting the batch (as Lambda does at its timeout) and the hung invocation does
nothing more. Each fault is printed as a `[faults]` line.
"""
from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass

from local.runner import LambdaContext

WRITES = frozenset({"add_new", "update", "add_event", "claim_reply", "release_reply", "record_reply_sent", "send",
                    "send_batch"})
FAULT_POINTS = ("before work", "after write 1", "after write 2", "after write 3")


class InjectedFaultError(RuntimeError):
    pass


class HandlerTimedOutError(TimeoutError):
    pass


class AbandonedInvocationError(RuntimeError):
    """A timed-out invocation trying to go on: on Lambda it would have been stopped."""


@dataclass(frozen=True)
class FaultPlan:
    rate: float
    seed: int = 0
    handlers: frozenset[str] = frozenset({"route_complaints", "send_replies"})
    deadline_seconds: float = 3.0
    poison_marker: str = ""

    @classmethod
    def from_env(cls, env=os.environ) -> FaultPlan | None:
        if not env.get("FAULT_RATE") and not env.get("FAULT_POISON_MARKER"):
            return None
        handlers = env.get("FAULT_HANDLERS", "route_complaints,send_replies")
        return cls(rate=float(env.get("FAULT_RATE") or 0), seed=int(env.get("FAULT_SEED", 0)),
                   handlers=frozenset(h.strip() for h in handlers.split(",") if h.strip()),
                   deadline_seconds=float(env.get("FAULT_DEADLINE_SECONDS", 3.0)),
                   poison_marker=env.get("FAULT_POISON_MARKER", ""))


@dataclass
class Invocation:
    handler: str
    fault_point: str | None
    fault_kind: str
    writes: int = 0
    abandoned: bool = False


@dataclass
class DeadlineContext(LambdaContext):
    """The Lambda context with the time really left before the deadline, as handlers that budget time read it."""
    deadline: float = 0.0   # time.monotonic() at the deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class FaultInjector:
    def __init__(self, plan: FaultPlan):
        self.plan = plan
        self.random = random.Random(plan.seed)
        self.current = threading.local()
        self.lock = threading.Lock()

    def plan_invocation(self, handler: str) -> Invocation:
        with self.lock:
            failing = self.random.random() < self.plan.rate
            point, kind = self.random.choice(FAULT_POINTS), self.random.choice(("exception", "timeout"))
        return Invocation(handler, point if failing else None, kind)

    def invoke(self, handler, event, context):
        """The runner's `invoke`: the handler in a worker thread, given up at the deadline."""
        if context.function_name not in self.plan.handlers:
            return handler(event, context)
        invocation = self.plan_invocation(context.function_name)
        context = DeadlineContext(context.function_name, aws_request_id=context.aws_request_id,
                                  deadline=time.monotonic() + self.plan.deadline_seconds)
        outcome: dict = {}
        finished = threading.Event()

        def run():
            self.current.invocation = invocation
            try:
                self.reach("before work")
                outcome["result"] = handler(event, context)
            except BaseException as error:  # handed to the runner's thread, which treats it as the handler's
                outcome["error"] = error
            finally:
                finished.set()

        threading.Thread(target=run, daemon=True, name=f"{context.function_name}-{context.aws_request_id}").start()
        if not finished.wait(self.plan.deadline_seconds):
            invocation.abandoned = True
            print(f"[faults] {context.function_name} timed out after {self.plan.deadline_seconds}s: batch abandoned",
                  flush=True)
            raise HandlerTimedOutError(context.function_name)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    def reach(self, point: str) -> None:
        invocation = getattr(self.current, "invocation", None)
        if invocation is None or invocation.fault_point != point:
            return
        print(f"[faults] {invocation.fault_kind} in {invocation.handler} {point}", flush=True)
        if invocation.fault_kind == "timeout":
            threading.Event().wait()   # never returns: the runner abandons it at the deadline
        raise InjectedFaultError(f"injected {invocation.fault_kind} {point}")

    def before_call(self, name: str) -> None:
        invocation = getattr(self.current, "invocation", None)
        if invocation and invocation.abandoned:
            raise AbandonedInvocationError(f"{invocation.handler} timed out; {name} not done")

    def after_call(self, name: str, result):
        invocation = getattr(self.current, "invocation", None)
        if invocation is None:
            return result
        if self.plan.poison_marker and invocation.handler == "route_complaints" and name in ("get", "get_many"):
            result = self.poisoned(result)
        if name in WRITES:
            invocation.writes += 1
            self.reach(f"after write {invocation.writes}")
        return result

    def poisoned(self, read):
        """The router's read of complaints with the poison marker fails (one) or misses them (a batch read)."""
        complaints = read.values() if isinstance(read, dict) else [read]
        bad = {c.id for c in complaints if self.plan.poison_marker in (c.text or "")}
        for complaint_id in bad:
            print(f"[faults] poison complaint {complaint_id} fails routing", flush=True)
        if isinstance(read, dict):
            return {k: v for k, v in read.items() if k not in bad}
        if bad:
            raise InjectedFaultError(f"router bug on complaint {read.id}")
        return read


class FaultyAdapter:
    """Wraps the store or the queues the handlers get from chalicelib.wiring: every call passes the injector."""

    def __init__(self, real, injector: FaultInjector):
        self._real, self._injector = real, injector

    def __getattr__(self, name: str):
        attribute = getattr(self._real, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute

        def call(*args, **kwargs):
            self._injector.before_call(name)
            return self._injector.after_call(name, attribute(*args, **kwargs))

        return call


def install(injector: FaultInjector) -> None:
    """Hand the app's handlers wrapped store and queues (app.py asks chalicelib.wiring for them on every call)."""
    from chalicelib import wiring

    for name in ("store", "queues"):
        real = getattr(wiring, name)
        wrapped = FaultyAdapter(real(), injector)

        def factory(wrapped=wrapped):
            return wrapped

        factory.cache_clear = real.cache_clear
        setattr(wiring, name, factory)


def invoker_from_env(default, env=os.environ):
    """The runner's invoke function: `default` unless FAULT_RATE or FAULT_POISON_MARKER is set."""
    plan = FaultPlan.from_env(env)
    if plan is None:
        return default
    injector = FaultInjector(plan)
    install(injector)
    print(f"[faults] injecting: {plan}", flush=True)
    return injector.invoke
