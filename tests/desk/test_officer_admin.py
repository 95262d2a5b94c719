"""Officer accounts: the admin CLI creates officers, issues tokens and revokes them; passwords are hashed."""
import json

import pytest

from chalicelib.officers import InvalidOfficerError, Role, hash_password, new_officer, password_matches


def run(capsys, *argv) -> tuple[int, str]:
    from chalicelib.officer_admin import main

    code = main(list(argv))
    return code, capsys.readouterr()


def test_password_is_stored_as_a_salted_hash_that_checks_only_the_right_password():
    stored = hash_password("correct horse")
    assert "correct horse" not in stored and stored != hash_password("correct horse")
    assert password_matches("correct horse", stored) and not password_matches("wrong horse", stored)


@pytest.mark.parametrize("role, state, district, problem", [
    ("district_officer", None, None, "district"), ("hq_operator", None, None, "--state"),
    ("admin", "rj", None, "neither"), ("inspector", None, None, "role")])
def test_officer_needs_the_scope_its_role_implies(role, state, district, problem):
    with pytest.raises(InvalidOfficerError, match=problem):
        new_officer("o-1", "O", role, "password-1", district_state=None, state=state, district=district)


def test_cli_creates_an_officer_with_the_district_state(aws, capsys, monkeypatch):
    monkeypatch.setenv("OFFICER_PASSWORD", "password-1")
    code, out = run(capsys, "create", "--id", "jaipur-9", "--name", "SI Meena", "--role", Role.DISTRICT_OFFICER,
                    "--district", "rj-jaipur")
    created = json.loads(out.out)
    assert code == 0 and (created["state"], created["district"]) == ("rj", "rj-jaipur")
    assert "password_hash" not in created


def test_cli_refuses_an_unknown_district(aws, capsys, monkeypatch):
    monkeypatch.setenv("OFFICER_PASSWORD", "password-1")
    code, out = run(capsys, "create", "--id", "x-1", "--name", "X", "--role", Role.DISTRICT_OFFICER,
                    "--district", "rj-atlantis")
    assert code == 2 and "known --district" in out.err


def test_cli_token_works_until_the_officer_is_revoked(aws, capsys, monkeypatch, client):
    monkeypatch.setenv("OFFICER_PASSWORD", "password-1")
    run(capsys, "create", "--id", "rj-hq-9", "--name", "HQ", "--role", Role.HQ_OPERATOR, "--state", "rj")
    token = json.loads(run(capsys, "token", "--id", "rj-hq-9")[1].out)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.http.get("/api/me", headers=headers).status_code == 200
    code, _ = run(capsys, "revoke", "--id", "rj-hq-9")
    assert code == 0 and client.http.get("/api/me", headers=headers).status_code == 403


def test_cli_lists_officers_without_password_hashes(aws, capsys, monkeypatch):
    monkeypatch.setenv("OFFICER_PASSWORD", "password-1")
    run(capsys, "create", "--id", "admin-9", "--name", "Admin", "--role", Role.ADMIN)
    listed = json.loads(run(capsys, "list")[1].out)
    assert [o["id"] for o in listed] == ["admin-9"] and "password_hash" not in listed[0]
