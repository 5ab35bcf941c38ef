"""The limiter skips its per-request work on views with no limit, and only on those."""

from backend.api.throttle import UNLIMITED

LIMITED = {
    "auth.change_password", "auth.confirm_totp", "auth.login", "auth.new_recovery_key",
    "auth.recover", "auth.register", "me.join_team", "passkeys.register",
    "passkeys.registration_options",
    "passkeys.remove", "passkeys.second_step", "passkeys.second_step_options",
    "passkeys.sign_in", "passkeys.sign_in_options", "push.send_test", "resources.opened",
}  # fmt: skip


def test_every_view_with_a_limit_is_still_checked(app):
    """A view that gains a limit is seen (this list is the limiter's, read when the app is
    made); the check-in and history views, which have none, are skipped."""
    checked = set(app.view_functions) - app.extensions[UNLIMITED]
    assert checked == LIMITED
    assert {"entries.put", "entries.list_"} <= app.extensions[UNLIMITED]
