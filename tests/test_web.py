"""The front end's files as the server hands them out: every file of the service worker has
the cache version filled in and is never cached by HTTP; other files are plain."""

import re
from pathlib import Path

from backend import web

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def worker_urls(client) -> list[str]:
    listeners = client.get("/sw.js").get_data(as_text=True)
    imported = re.search(r"importScripts\(([^)]*)\)", listeners).group(1)
    return ["/sw.js", *re.findall(r'"([^"]+)"', imported)]


def test_every_file_of_the_worker_is_versioned_and_never_cached(client):
    urls = worker_urls(client)
    # Every file in frontend/sw/ is imported, so none is served without the version filled in.
    assert {f"/sw/{p.name}" for p in (FRONTEND / "sw").glob("*.js")} == set(urls[1:])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "text/javascript", url
        assert response.headers["Cache-Control"] == "no-cache", url
        text = response.get_data(as_text=True)
        assert web.CACHE_VERSION_MARK not in text, url
        on_disk = (FRONTEND / url.lstrip("/")).read_text()
        assert text == on_disk.replace(web.CACHE_VERSION_MARK, web.cache_version()), url
    assert f'"shell-{web.cache_version()}"' in client.get("/sw.js").get_data(as_text=True)


def test_a_worker_file_that_does_not_exist_is_a_404(client):
    response = client.get("/sw/nothing.js")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_the_shared_core_is_served_to_both_apps(client):
    # Files are sent as streams: close each response so its file is closed.
    for url in ("/shared/dom.js", "/shared/api.js", "/shared/passkeys.js", "/shared/base.css"):
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == "no-cache", url
    for page in ("/", "/hub/"):
        with client.get(page) as response:
            assert b'href="/shared/base.css"' in response.get_data(), page
