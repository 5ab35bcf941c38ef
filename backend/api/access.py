"""Who may call what: session loading and role checks for the API."""

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager
from ..models import User
from ..services import accounts


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """A session is valid only while its session version is the person's current one."""
    try:
        user_id, version = (int(part) for part in session_id.split("."))
    except ValueError:
        return None
    return accounts.signed_in_person(user_id, version)


@login_manager.unauthorized_handler
def unauthorised():
    abort(401, "Please sign in.")


def signed_in(view):
    """Any signed-in person."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401, "Please sign in.")
        return view(*args, **kwargs)

    return wrapper


def role_required(*roles: str):
    """A signed-in person with one of these roles; anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401, "Please sign in.")
            if current_user.role not in roles:
                abort(403, "This part is not open to your account.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


staff_only = role_required("staff")
