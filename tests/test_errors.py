"""One JSON error shape for every 4xx and 5xx, and the CSRF defence."""

import pytest

from tests.conftest import entry_body, put_entry


def assert_error_shape(response, code):
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_unknown_route_is_json_404(client):
    assert_error_shape(client.get("/api/v1/nothing-here"), 404)


def test_wrong_method_is_json_405_and_keeps_allow(client):
    response = client.delete("/api/v1/taxonomy")
    assert_error_shape(response, 405)
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_json_400(signed_in):
    client, _ = signed_in()
    response = client.put(
        "/api/v1/entries/6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf001",
        data='{"mood": 3,',
        content_type="application/json",
    )
    body = assert_error_shape(response, 400)
    assert "JSON" in body["message"]


@pytest.mark.parametrize(
    "content_type, data",
    [
        ("application/x-www-form-urlencoded", "username=a&password=b"),
        ("text/plain", '{"username": "a", "password": "b"}'),
        ("multipart/form-data; boundary=x", "--x--"),
    ],
)
def test_state_changes_must_be_json(client, make_user, content_type, data):
    person = make_user()
    response = client.post("/api/v1/auth/login", data=data, content_type=content_type)
    assert_error_shape(response, 415)
    form = f"username={person.username}&password={person.password}"
    sneaky = client.post(
        "/api/v1/auth/login", data=form, content_type="application/x-www-form-urlencoded"
    )
    assert sneaky.status_code == 415
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_foreign_origin_is_refused_and_changes_nothing(signed_in):
    client, _ = signed_in()
    entry_id, _ = put_entry(client)
    headers = {"Origin": "https://evil.example"}
    assert_error_shape(client.delete(f"/api/v1/entries/{entry_id}", headers=headers), 403)
    response = client.put(
        "/api/v1/entries/6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf001", json=entry_body(), headers=headers
    )
    assert_error_shape(response, 403)
    cross = client.delete(f"/api/v1/entries/{entry_id}", headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert len(client.get("/api/v1/entries").get_json()["items"]) == 1


def test_our_own_origin_is_accepted(signed_in):
    client, _ = signed_in()
    response = client.put(
        "/api/v1/entries/6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf002",
        json=entry_body(),
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 201


def test_unexpected_errors_are_json_500_and_roll_back(app, signed_in, monkeypatch, caplog):
    client, _ = signed_in()
    from backend.services import entries

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(entries.releases, "entry_added", broken)
    _, response = put_entry(client, note="must not be logged")
    body = assert_error_shape(response, 500)
    assert "boom" not in body["message"]
    assert "must not be logged" not in caplog.text
    monkeypatch.undo()
    assert client.get("/api/v1/entries").get_json()["items"] == []


def test_database_unreachable_is_json_503(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/dir/x.db")
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": "someone", "password": "whatever it is"}
    )
    assert_error_shape(response, 503)


def test_too_large_a_body_is_json_413(signed_in):
    client, _ = signed_in()
    response = client.put(
        "/api/v1/entries/6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf003",
        json=entry_body(note="x" * 70_000),
    )
    assert_error_shape(response, 413)


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/taxonomy", "/api/v1/nope"):
        response = client.get(path)
        response.close()
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
    assert client.get("/api/v1/taxonomy").headers["Cache-Control"] == "no-store"


def test_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/entries/{entry_id}" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.data
    with client.get("/api/docs/static/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200
