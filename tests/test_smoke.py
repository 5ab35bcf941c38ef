from tests.conftest import put_entry


def test_check_in_round_trip(signed_in):
    client, _ = signed_in()
    entry_id, response = put_entry(client, mood=4)
    assert response.status_code == 201, response.get_json()
    got = client.get(f"/api/v1/entries/{entry_id}").get_json()
    assert got["mood"] == 4
    assert got["note"] == "Long shift, but the team pulled together."
