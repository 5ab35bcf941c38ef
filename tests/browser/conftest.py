"""Browser fixtures: the real app on a live server, driven by real headless Chromium.

Reuse them in any tests/browser/test_*.py (mark the tests `@pytest.mark.browser`):

- ``live_server``: the app of tests/conftest.py's ``app`` fixture (fresh, migrated SQLite
  file per test; rate limits off) served on 127.0.0.1 at a random port by werkzeug in a
  thread. ``live_server.url`` and ``live_server.app``.
- ``browser``: one Debian Chromium (/usr/bin/chromium) for the whole session; never downloaded.
- ``context``: a fresh phone-sized context per test (390x844, touch, mobile, en-GB,
  Europe/London) whose ``base_url`` is the live server, so ``page.goto("/")`` works.
  ``new_context(**overrides)`` makes more (another person, a 320 px screen, dark mode).
- ``page``: a page in ``context``. The test fails if the page throws an uncaught error.
- ``sign_up(page, username=None, research=True)``: creates an account through the app's
  own screens, passes the recovery key and passkey offer, skips the optional questions
  about you, and waits for the check-in screen; returns the username.
- ``check_in(page, mood="Good", note=None)``: saves a check-in from the check-in screen.
- ``api_get(page, path)``: GET an API path with the page's session cookie; returns JSON.
- ``wait_for_service_worker(page)``: waits until a service worker controls the page.
- ``assert_accessible(page)``: axe-core finds no violations on the page as it is now.
- ``example_resources``: the live server's catalogue with the demo's example contact details
  (what ``make seed`` writes to instance/resources.json) in place of every placeholder.
- ``eventually(page, js)``: polls an expression (a promise is awaited) until it is truthy.
  Use it instead of ``page.wait_for_function``, which the app's CSP (no 'unsafe-eval') breaks
  and which takes a pending promise for a truthy value.
- ``outbox_items(page)``: the check-ins waiting in the phone's outbox (IndexedDB), oldest first.
- ``queue_in_outbox(page, entry)``: puts a check-in in the outbox through the app's own
  outbox module, as an older or newer version of the app might have queued it (a note past
  the limit, say), without the check-in form's own checks.
"""

import itertools
import shutil
import threading
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD, base_config

CHROMIUM = "/usr/bin/chromium"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "locale": "en-GB",
    "timezone_id": "Europe/London",
}


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """Browser tests exercise the front end: SQLite only (the API suites cover PostgreSQL)."""
    path = tmp_path / "diary.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config(database_url, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    # One browser signs up and in many times from one address: rate limits would get in the way.
    return base_config(database_url, str(instance), RATELIMIT_ENABLED=False)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """No access log: it would only bury a failing test's output."""


def buffered(app):
    """Read each answer whole and close it before sending it.

    When a browser drops a connection (a reload, a closed context) werkzeug's dev server can
    skip closing the file it was sending, and the ResourceWarning fails the test under
    filterwarnings=error. Event streams (text/event-stream) are passed through unbuffered.
    """

    def wsgi(environ, start_response):
        kind = {}

        def capture(status, headers, exc_info=None):
            kind["type"] = dict((k.lower(), v) for k, v in headers).get("content-type", "")
            return start_response(status, headers, exc_info)

        answer = app(environ, capture)
        if kind.get("type", "").startswith("text/event-stream"):
            return answer
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return wsgi


class LiveServer:
    """The app served over real HTTP on 127.0.0.1 for as long as the test runs."""

    def __init__(self, app):
        self.app = app
        self._server = make_server(
            "127.0.0.1", 0, buffered(app), threaded=True, request_handler=QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def example_resources(live_server):
    from backend.services import demo, resources

    _, wrote = demo.write_example_resources(live_server.app.instance_path)
    assert wrote
    resources.install(live_server.app)  # what a restart does


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(**overrides) -> a fresh browser context on the live server, phone-sized."""
    made = []

    def make(**overrides):
        context = browser.new_context(base_url=live_server.url, **{**PHONE, **overrides})
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"the page threw: {errors}"


names = (f"carer{n}" for n in itertools.count(1))


def mood_face(page, word):
    """The mood choice with these words ("Really tough" ... "Great") on the check-in screen."""
    return page.get_by_role("group", name="Your mood").get_by_role("radio", name=word, exact=True)


def screen_ready(page, title=None):
    """Wait for a screen's heading (its text, when given)."""
    heading = page.locator("main h1")
    if title:
        heading = page.locator("main h1", has_text=title)
    heading.first.wait_for()


@pytest.fixture
def sign_up():
    def sign_up(page, username=None, research=True, password=PASSWORD):
        username = username or next(names)
        page.goto("/#/sign-up")
        screen_ready(page, "Create your diary")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_text("Yes, count them" if research else "No, keep them out").click()
        page.get_by_role("button", name="Create my diary").click()
        # The recovery key, shown once, and the passkey offer; then the questions.
        screen_ready(page, "Keep your way back in")
        page.get_by_role("button", name="Continue").click()
        screen_ready(page, "A few questions to start")
        page.get_by_role("button", name="Skip for now").first.click()
        screen_ready(page, "How are you right now?")
        page.locator(".moods").wait_for()
        return username

    return sign_up


@pytest.fixture
def check_in():
    def check_in(page, mood="Good", note=None):
        mood_face(page, mood).click()
        if note is not None:
            page.get_by_text("Add more (optional)").click()
            page.get_by_label("A note, just for you").fill(note)
        page.get_by_role("button", name="Save check-in").click()
        screen_ready(page, "Saved. Thank you for checking in.")

    return check_in


@pytest.fixture
def api_get():
    def api_get(page, path):
        response = page.request.get(path)
        assert response.ok, f"GET {path}: {response.status} {response.text()}"
        return response.json()

    return api_get


@pytest.fixture
def wait_for_service_worker():
    def wait(page):
        eventually(page, "navigator.serviceWorker.controller !== null")

    return wait


@pytest.fixture(scope="session")
def assert_accessible():
    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


def eventually(page, expression, timeout=10.0):
    """Evaluate `expression` (a promise is awaited) every 100 ms until it is truthy."""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)):
        assert time.monotonic() < deadline, f"never true: {expression} (last: {value!r})"
        page.wait_for_timeout(100)
    return value


OUTBOX_ITEMS = """async () => {
  const outbox = await import("/js/outbox.js");
  return outbox.waiting();
}"""

QUEUE = """async (entry) => {
  const outbox = await import("/js/outbox.js");
  await outbox.queue(entry);
}"""


def outbox_items(page):
    """The outbox's records ({id, entry, refused, ...}), oldest first, as the app reads them."""
    return page.evaluate(OUTBOX_ITEMS)


def queue_in_outbox(page, entry):
    page.evaluate(QUEUE, entry)
