"""Errors that reach users: a Vietnamese one-line message and an exit status."""


class UserError(Exception):
    """Bad input to a command (unknown unit, malformed period, unwritable folder): exit status 2."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BookError(UserError):
    """A workbook that cannot be read safely; ``code`` is a stable issue code, the message names the file."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
