"""python -m chalicelib.triage: JSON Lines in, one JSON line out per input, errors as lines."""
import io
import json
import subprocess
import sys
from pathlib import Path

from chalicelib.triage.__main__ import run

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"id", "actionable", "category", "group", "priority", "district", "sensitive", "cues"}


def cli(*lines):
    out = io.StringIO()
    run(io.StringIO("\n".join(lines) + "\n"), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_post_gives_one_line_with_the_contract_fields():
    [row] = cli(json.dumps({"id": "p1", "text": "जोधपुर के पावटा में स्कूटी चोरी", "platform": "x",
                            "mentions": ["PoliceRajasthan"], "user_location": None, "coordinates": None}))
    assert set(row) == FIELDS
    assert (row["id"], row["group"], row["district"]) == ("p1", "property_crime", "rj-jodhpur")
    assert isinstance(row["cues"], list)


def test_coordinates_are_read_as_lat_lon():
    [row] = cli(json.dumps({"id": 7, "text": "phone chori ho gaya", "mentions": ["PoliceRajasthan"],
                            "coordinates": [26.9239, 75.8267]}))
    assert row["district"] == "rj-jaipur"


def test_a_bad_line_gives_an_error_line_and_the_next_line_is_still_triaged():
    rows = cli("not json", json.dumps({"id": "t", "text": 42}), json.dumps({"id": "ok", "text": "bike chori"}))
    assert "error" in rows[0] and rows[1] == {"id": "t", "error": "text must be a string"}
    assert rows[2]["id"] == "ok" and rows[2]["group"] == "property_crime"


def test_malformed_coordinates_are_ignored_not_fatal():
    [row] = cli(json.dumps({"id": 1, "text": "bike chori", "coordinates": ["north", 5, 6]}))
    assert row["district"] is None and "error" not in row


def test_the_module_runs_as_a_program():
    post = json.dumps({"id": "a", "text": "Thanks UP Police 🙏", "mentions": ["Uppolice"]}, ensure_ascii=False)
    done = subprocess.run([sys.executable, "-m", "chalicelib.triage"], input=post + "\n", capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=60, check=True)
    assert json.loads(done.stdout)["actionable"] is False
