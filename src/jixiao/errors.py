"""Library errors. Each carries a one-line message fit to show a user (Chinese or English)."""


class JixiaoError(Exception):
    """Base class of every error the library raises on purpose."""


class UnreadableDocument(JixiaoError):
    """The input cannot be read as a performance target table."""


class UnknownLayout(UnreadableDocument):
    """The input is readable but is not a table layout jixiao knows."""


class ProfileError(JixiaoError):
    """A review or scoring profile is malformed."""


class InvalidValue(JixiaoError):
    """A value does not satisfy the domain's invariants."""
