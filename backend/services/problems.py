"""What a service raises when it cannot do what was asked; errors.py turns it into JSON."""


class Problem(Exception):
    """A refusal in plain words, with the HTTP status that fits it."""

    status = 400

    def __init__(self, message: str, field: str | None = None, location: str = "json"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.location = location

    @property
    def errors(self) -> dict | None:
        if self.field is None:
            return None
        return {self.location: {self.field: [self.message]}}


class Invalid(Problem):
    status = 422


class NotFound(Problem):
    status = 404


class Conflict(Problem):
    status = 409


class Forbidden(Problem):
    status = 403


class Unauthorised(Problem):
    status = 401
