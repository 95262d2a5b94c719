"""The district registry the router and triage share."""
from chalicelib.districts import load_registry


def test_every_routing_unit_of_both_states_is_present():
    registry = load_registry()
    ids = registry.ids()
    assert len([i for i in ids if i.startswith("rj-") and not registry.get(i).is_desk]) == 45
    assert len([i for i in ids if i.startswith("up-") and not registry.get(i).is_desk]) == 75
    assert {"rj-hq", "up-hq", "up-nri"} <= set(ids)


def test_desks_are_marked_as_desks_and_districts_are_not():
    registry = load_registry()
    assert registry.get("up-nri").is_desk and registry.get("rj-hq").is_desk
    assert not registry.get("rj-balotra").is_desk


def test_each_state_has_its_hq_desk():
    registry = load_registry()
    assert registry.hq_for_state("rj") == "rj-hq" and registry.hq_for_state("up") == "up-hq"


def test_only_handles_seen_in_a_public_source_resolve():
    registry = load_registry()
    assert registry.by_confirmed_handle("@SP_Balotra").id == "rj-balotra"
    assert registry.by_confirmed_handle("lkopolice").id == "up-lucknow"
    assert registry.by_confirmed_handle("agrapolice") is None  # a naming-pattern guess


def test_districts_carry_english_and_hindi_names():
    jodhpur = load_registry().get("rj-jodhpur")
    assert (jodhpur.state, jodhpur.name_hi) == ("rj", "जोधपुर पुलिस आयुक्तालय")
    assert "Jodhpur" in jodhpur.aliases


def test_lookups_of_non_strings_find_nothing():
    registry = load_registry()
    assert registry.get(None) is None and registry.by_confirmed_handle(None) is None


def test_districts_of_one_state():
    assert {d.state for d in load_registry().in_state("up")} == {"up"}
