"""Admin CLI for officer accounts: create, issue a token, revoke every token, list.

    python -m chalicelib.officer_admin create --id jaipur-1 --name Meena --role district_officer --district rj-jaipur
    python -m chalicelib.officer_admin create --id rj-hq-1 --name "HQ desk" --role hq_operator --state rj
    python -m chalicelib.officer_admin token --id jaipur-1 [--hours 12]
    python -m chalicelib.officer_admin revoke --id jaipur-1
    python -m chalicelib.officer_admin list

The password is read from the OFFICER_PASSWORD environment variable or prompted for, never taken as an argument
(it would stay in the shell history). Uses the stage's TABLE_NAME, JWT_SECRET and AWS credentials.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import timedelta

from chalicelib.model import iso, utc_now
from chalicelib.officers import Officer, Role, new_officer
from chalicelib.tokens import issue_token


def create_officer(officers, registry, officer_id: str, name: str, role: str, password: str,
                   state: str | None = None, district: str | None = None) -> Officer:
    unit = registry.get(district) if district else None
    officer = new_officer(officer_id, name, role, password, district_state=unit.state if unit else None,
                          state=state, district=district)
    officers.add(officer)
    return officer


def token_for(officers, officer_id: str, secret: str, hours: int) -> dict:
    from chalicelib.officer_store import OfficerNotFoundError

    officer = officers.get(officer_id)
    if officer is None or not officer.active:
        raise OfficerNotFoundError(f"no active officer {officer_id!r}")
    now = utc_now()
    return {"officer_id": officer.id, "token": issue_token(officer, secret, now, timedelta(hours=hours)),
            "expires_at": iso(now + timedelta(hours=hours))}


def describe(officer: Officer) -> dict:
    return {k: v for k, v in officer.to_dict().items() if k != "password_hash"}


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m chalicelib.officer_admin", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = cli.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an officer account")
    create.add_argument("--id", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=Role.ALL)
    create.add_argument("--state", help="HQ operators: the state (rj, up)")
    create.add_argument("--district", help="district officers: the registry id (rj-jaipur)")
    token = commands.add_parser("token", help="issue a signed token for an officer")
    token.add_argument("--id", required=True)
    token.add_argument("--hours", type=int, default=12)
    revoke = commands.add_parser("revoke", help="revoke every token the officer holds")
    revoke.add_argument("--id", required=True)
    commands.add_parser("list", help="list officers")
    return cli


def main(argv=None) -> int:
    from chalicelib import wiring
    from chalicelib.officer_store import OfficerExistsError, OfficerNotFoundError
    from chalicelib.officers import InvalidOfficerError

    args = parser().parse_args(argv)
    officers = wiring.officers()
    try:
        if args.command == "create":
            password = os.environ.get("OFFICER_PASSWORD") or getpass.getpass("password: ")
            result = describe(create_officer(officers, wiring.registry(), args.id, args.name, args.role, password,
                                             state=args.state, district=args.district))
        elif args.command == "token":
            result = token_for(officers, args.id, wiring.settings().jwt_secret, args.hours)
        elif args.command == "revoke":
            result = describe(officers.revoke_tokens(args.id))
        else:
            result = [describe(o) for o in officers.all()]
    except (InvalidOfficerError, OfficerExistsError, OfficerNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
