"""Argument schemas are made once, when routes are declared, not on every request."""

from backend.schemas.accounts import ProfileUpdateSchema
from backend.schemas.entries import EntryInSchema
from tests.conftest import put_entry


def test_no_argument_schema_is_made_per_request(signed_in, monkeypatch):
    client, _ = signed_in()
    made = []
    for schema in (EntryInSchema, ProfileUpdateSchema):
        original = schema.__init__

        def counting(self, *args, _original=original, **kwargs):
            made.append(type(self).__name__)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(schema, "__init__", counting)
    for _ in range(3):
        _, response = put_entry(client)
        assert response.status_code == 201
        assert client.patch("/api/v1/me", json={"role_group": "nurse"}).status_code == 200
    assert made == []
