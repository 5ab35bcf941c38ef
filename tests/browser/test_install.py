"""Installable: a valid manifest, icons that exist, and a service worker that controls the page,
keeps only the app shell, and offers updates."""

import re
import struct
from pathlib import Path

import pytest

from backend import web
from tests.browser.conftest import CHROMIUM, PHONE, eventually, screen_ready

pytestmark = pytest.mark.browser

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_describes_an_installable_app(page, live_server):
    response = page.request.get("/manifest.webmanifest")
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Wellbeing Diary"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")

    for image in manifest["icons"] + manifest["screenshots"]:
        fetched = page.request.get(image["src"])
        assert fetched.ok, image["src"]
        assert fetched.headers["content-type"] == image["type"]
        width, height = png_size(fetched.body())
        assert image["sizes"] == f"{width}x{height}", image["src"]
    purposes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert {s["form_factor"] for s in manifest["screenshots"]} == {"narrow"}


def test_chromium_finds_nothing_stopping_installation(browser, live_server, tmp_path):
    # Installability is not reported in incognito-like contexts: use a real profile.
    playwright = browser.browser_type
    context = playwright.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, headless=True, **PHONE
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.url + "/")
        screen_ready(page, "Your wellbeing diary")
        eventually(page, "navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest.get("errors", []) == []
    finally:
        context.close()


def test_the_service_worker_keeps_the_shell_and_never_the_api(
    page, sign_up, check_in, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    check_in(page, mood="Good")
    page.goto("/#/history")
    page.locator(".entry-link").first.wait_for()

    sw = page.request.get("/sw.js")
    assert sw.headers["service-worker-allowed"] == "/"
    # Every file of the worker: the listeners and each file they import.
    imported = re.search(r"importScripts\(([^)]*)\)", sw.text()).group(1)
    worker = ["/sw.js", *re.findall(r'"([^"]+)"', imported)]
    assert {"/sw/shell.js", "/sw/strategies.js", "/sw/reminders.js"} <= set(worker)
    for url in worker:
        served = page.request.get(url)
        assert served.ok, url
        assert served.headers["cache-control"] == "no-cache", url
        assert served.headers["content-type"].startswith("text/javascript"), url
        assert "__CACHE_VERSION__" not in served.text(), url
    assert f"shell-{web.cache_version()}" in sw.text()

    cached = page.evaluate(
        """async () => {
          const out = {};
          for (const name of await caches.keys()) {
            const requests = await (await caches.open(name)).keys();
            out[name] = requests.map((r) => new URL(r.url).pathname);
          }
          return out;
        }"""
    )
    assert list(cached) == [f"shell-{web.cache_version()}"]
    [paths] = cached.values()
    assert {"/", "/js/app.js", "/css/app.css", "/manifest.webmanifest"} <= set(paths)
    assert not [p for p in paths if p.startswith("/api/")]
    # Every file the shell names exists (install would fail on a missing one).
    for path in paths:
        assert path == "/" or (FRONTEND / path.lstrip("/")).is_file(), path
    # And every script and stylesheet of the diary and of the code it shares with the hub is
    # in the shell, or the diary would not open offline.
    needed = {
        "/" + str(file.relative_to(FRONTEND))
        for folder in ("js", "css", "shared")
        for file in (FRONTEND / folder).rglob("*")
        if file.suffix in {".js", ".css"}
    }
    assert needed <= set(paths), sorted(needed - set(paths))


def test_a_new_version_is_offered_and_applied_on_accept(page, monkeypatch, wait_for_service_worker):
    page.goto("/")
    screen_ready(page, "Your wellbeing diary")
    wait_for_service_worker(page)
    first = page.evaluate("caches.keys()")
    assert page.locator("#update-banner").is_hidden()

    monkeypatch.setattr(web, "cache_version", lambda: "nextversion")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator("#update-banner")
    banner.get_by_text("Update available.").wait_for()

    with page.expect_event("load"):
        banner.get_by_role("button", name="Update now").click()
    screen_ready(page, "Your wellbeing diary")
    eventually(page, "caches.keys().then((k) => k.length === 1 && k[0] === 'shell-nextversion')")
    assert first != ["shell-nextversion"]
    assert page.locator("#update-banner").is_hidden()


def test_the_hub_never_gets_the_diarys_cached_copies(page, context, wait_for_service_worker):
    """The hub loads /shared/ files the diary's shell keeps: it must get them from the server,
    so a diary version waiting for "Update now" never mixes old shared code into the hub."""
    page.goto("/")
    screen_ready(page, "Your wellbeing diary")
    wait_for_service_worker(page)
    # Put a marked copy of the shared stylesheet in the shell, as an older version would be.
    page.evaluate(
        """async () => {
          const [name] = await caches.keys();
          const stale = new Response(":root { --stale: yes; }", {
            headers: { "Content-Type": "text/css" },
          });
          await (await caches.open(name)).put("/shared/base.css", stale);
        }"""
    )
    marked = "getComputedStyle(document.documentElement).getPropertyValue('--stale').trim()"
    page.reload()
    screen_ready(page, "Your wellbeing diary")
    assert page.evaluate(marked) == "yes"  # the diary is answered from its shell

    hub = context.new_page()
    hub.goto("/hub/")
    hub.locator("#sign-in").wait_for()
    eventually(hub, "navigator.serviceWorker.controller !== null")
    assert hub.evaluate(marked) == ""
    assert hub.evaluate("getComputedStyle(document.body).margin") == "0px"
