"""JSON over HTTP for the platform APIs (stdlib urllib): bounded retries on 429 and 5xx honouring Retry-After.

The retry budget is small on purpose: the replier Lambda must finish its batch within its timeout, and a
message that still fails is better left to SQS (it comes back after its visibility timeout) than retried here.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable

from chalicelib.model import utc_now


class PlatformError(Exception):
    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status = status
        self.body = body


class PermanentPlatformError(PlatformError):
    """The platform refused the request (4xx other than 429): sending it again cannot help."""


class TransientPlatformError(PlatformError):
    """429, 5xx or unreachable, still so when the retry budget ran out: nothing was posted, try later."""

    def __init__(self, message: str, status: int | None = None, body: str = "", retry_after: float | None = None):
        super().__init__(message, status, body)
        self.retry_after = retry_after


class UncertainOutcomeError(PlatformError):
    """The request went out but no answer came back: it may have been posted, so it must not be sent again."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    budget_seconds: float = 8.0      # total time spent waiting between attempts
    first_delay: float = 0.5
    max_delay: float = 4.0


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        from email.utils import parsedate_to_datetime

        return max(0.0, (parsedate_to_datetime(value) - utc_now()).total_seconds())
    except (TypeError, ValueError):
        return None


class JsonApi:
    def __init__(self, base_url: str, token: str, policy: RetryPolicy = RetryPolicy(), timeout: float = 5.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.policy = policy
        self.timeout = timeout
        self.sleep = sleep

    def get(self, path: str, query: dict | None = None) -> dict:
        return self.request("GET", path, query=query)

    def post(self, path: str, body: dict) -> dict:
        return self.request("POST", path, body=body)

    def request(self, method: str, path: str, body: dict | None = None, query: dict | None = None) -> dict:
        import urllib.parse  # deferred with the rest of urllib: only replies and Graph reads need HTTP (cold start)

        url = f"{self.base_url}/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        attempt, waited, delay = 1, 0.0, self.policy.first_delay
        while True:
            try:
                return self._once(method, url, body)
            except TransientPlatformError as error:
                wait = delay if error.retry_after is None else error.retry_after
                if attempt >= self.policy.attempts or waited + wait > self.policy.budget_seconds:
                    raise
                self.sleep(wait)
                attempt, waited, delay = attempt + 1, waited + wait, min(delay * 2, self.policy.max_delay)

    def _once(self, method: str, url: str, body: dict | None) -> dict:
        import http.client
        import urllib.error
        import urllib.request

        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            raise classify(error.code, error.read().decode("utf-8", "replace"),
                           error.headers.get("Retry-After"), f"{method} {url}") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._no_answer(method, url, "timed out") from error
            raise TransientPlatformError(f"{method} {url} could not connect: {error.reason}") from error
        except (OSError, http.client.HTTPException) as error:  # timeouts, dropped connections, garbled answers
            raise self._no_answer(method, url, repr(error)) from error
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise self._no_answer(method, url, f"answered success with no JSON object: {text[:200]}")
        return answer

    @staticmethod
    def _no_answer(method: str, url: str, why: str) -> PlatformError:
        # A read may be repeated; a post without a proper answer may already be on the citizen's timeline.
        if method == "GET":
            return TransientPlatformError(f"GET {url}: {why}")
        return UncertainOutcomeError(f"{method} {url} after the request was sent: {why}")


def classify(status: int, body: str, retry_after: str | None, what: str) -> PlatformError:
    message = f"{what} answered {status}: {body[:300]}"
    if status == 429 or status >= 500:
        return TransientPlatformError(message, status, body, retry_after_seconds(retry_after))
    return PermanentPlatformError(message, status, body)
