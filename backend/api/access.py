"""Who may call what: session loading and role checks for the API."""

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..extensions import db, login_manager
from ..models import User

# Every signed-in request loads its person: one statement built once (Session.get builds
# its query anew each time, which cost a check-in about a fortieth of its time).
_PERSON = sa.select(User).where(User.id == sa.bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """A session is valid only while its session version is the person's current one."""
    try:
        user_id, version = (int(part) for part in session_id.split("."))
    except ValueError:
        return None
    user = db.session.execute(_PERSON, {"user_id": user_id}).scalar_one_or_none()
    if user is None or user.session_version != version:
        return None
    return user


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
