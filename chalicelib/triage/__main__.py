"""python -m chalicelib.triage < posts.jsonl > triaged.jsonl

Each input line: {"id", "text", "platform", "mentions", "user_location", "coordinates": [lat, lon] | null}
(optional "state" and "desk" as in TriageInput). Each output line: id, actionable, category, group,
priority, district, sensitive, cues. A line that cannot be read gives {"id", "error"}, never a crash.
"""
from __future__ import annotations

import json
import sys
from typing import IO

from chalicelib.triage import TriageInput, triage

FIELDS = ("actionable", "category", "group", "priority", "district", "sensitive", "cues")


class BadLineError(ValueError):
    pass


def parse(line: str) -> tuple[object, TriageInput]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLineError(f"not JSON: {exc.msg}") from exc
    if not isinstance(obj, dict):
        raise BadLineError("not a JSON object")
    if not isinstance(obj.get("text"), str):
        raise BadLineError("text must be a string")
    return obj.get("id"), TriageInput.from_record(obj)


def run(stdin: IO[str], stdout: IO[str]) -> int:
    for line in stdin:
        if not line.strip():
            continue
        try:
            post_id, post = parse(line)
        except BadLineError as exc:
            post_id = _id_of(line)
            stdout.write(json.dumps({"id": post_id, "error": str(exc)}, ensure_ascii=False) + "\n")
            continue
        result = triage(post).to_dict()
        out = {"id": post_id, **{k: result[k] for k in FIELDS}}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def _id_of(line: str) -> object:
    try:
        obj = json.loads(line)
        return obj.get("id") if isinstance(obj, dict) else None
    except ValueError:
        return None


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    raise SystemExit(run(sys.stdin, sys.stdout))
