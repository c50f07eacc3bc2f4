"""Service-layer errors. Each carries an HTTP status, a stable code and a Chinese message.

The web layer renders them (one JSON body for the API, a page or toast for the UI); the CLI
prints the message. Expected conflicts are 4xx, never 500.
"""

from __future__ import annotations

from typing import Any

from jixiao.domain.evaluation import SelfEvaluation


class AppError(Exception):
    """A use-case failed for a reason the user can act on.

    ``current`` is the stored state a conflict was decided against (e.g. ``{"version": 3}``),
    so that a client can refresh without another request; empty when it does not apply.
    """

    status_code = 400
    code = "bad_request"
    # True when what the use-case wrote before failing must be kept (a failed login's counter
    # and audit entry): the request's unit of work then commits instead of rolling back.
    keeps_writes = False

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        current: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, str] = fields or {}
        self.current: dict[str, Any] = current or {}


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"


class LoginFailed(NotAuthenticated):
    """Wrong credentials; the failure was counted and audited (kept although the login fails)."""

    keeps_writes = True


class TooManyAttempts(AppError):
    """Login refused while the account or address is locked or backing off (audited, kept)."""

    status_code = 429
    code = "too_many_attempts"
    keeps_writes = True


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class StaleVersion(Conflict):
    """The edit names a version older than the stored one (optimistic locking)."""

    code = "stale_version"


class Locked(Conflict):
    """The project is submitted or approved: its targets cannot be edited in place."""

    code = "locked"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class ValidationFailed(AppError):
    """Input breaks a domain rule; ``fields`` maps each field name to its message."""

    status_code = 422
    code = "validation_error"


class UnreadableUpload(AppError):
    """The uploaded file is not a readable performance target table."""

    status_code = 422
    code = "unreadable_document"


class SelfEvaluationUpload(UnreadableUpload):
    """The upload holds published self-evaluations, not a target table: ``evaluations`` can be
    attached to their projects (``evaluations.published``) instead of imported as targets."""

    def __init__(self, message: str, evaluations: list[SelfEvaluation]) -> None:
        super().__init__(message, fields={"file": message})
        self.evaluations = evaluations


class Busy(AppError):
    """Every worker that could serve the request stayed busy (try again later)."""

    status_code = 503
    code = "busy"
