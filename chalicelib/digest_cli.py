"""Send an HQ digest now, whatever the schedule says (it is sent even if that period's digest went out).

    python -m chalicelib.digest_cli --state rj --period daily                    # yesterday, India time
    python -m chalicelib.digest_cli --state rj --period daily --day today        # so far today
    python -m chalicelib.digest_cli --state rj --period daily --day 2026-11-22
    python -m chalicelib.digest_cli --state up --period shift                    # the shift that ended last
Set AWS_ENDPOINT_URL=http://127.0.0.1:5000 for the local stack; otherwise the usual AWS credentials apply.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

from chalicelib import wiring
from chalicelib.counters import IST
from chalicelib.digest import daily_period, shift_ending
from chalicelib.digest_service import digest_states, send_digest
from chalicelib.model import utc_now


def india_day(text: str) -> date:
    today = utc_now().astimezone(IST).date()
    named = {"today": today, "yesterday": today - timedelta(days=1)}
    return named[text] if text in named else date.fromisoformat(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", choices=digest_states(), required=True)
    parser.add_argument("--period", choices=("daily", "shift"), default="daily")
    parser.add_argument("--day", type=india_day, default="yesterday",
                        help="India day of a daily digest: today, yesterday (default) or YYYY-MM-DD")
    args = parser.parse_args(argv)
    now, settings = utc_now(), wiring.settings()
    if args.period == "daily":
        period = daily_period(args.day)
    else:
        period = shift_ending(now, settings.digest_shift_start_hours_ist)
    run = send_digest(args.state, period, wiring.analytics(), wiring.mailer(), now, settings.digest_breaches_shown,
                      force=True)
    print(json.dumps(run.to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
