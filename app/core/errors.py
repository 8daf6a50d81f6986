"""Errors a user can fix. Their message is shown as is: one line that names
the file, line or key and says what is wrong."""


class InputError(Exception):
    """Bad input from a file, a form field or the command line."""
