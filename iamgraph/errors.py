"""The one error type that bad input may raise; the CLI turns it into one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file and the JSON path of the offending element."""

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None) -> None:
        self.message = message
        self.file = file
        self.path = path
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.file or ""
        if self.path:
            where = f"{where} at {self.path}" if where else self.path
        text = f"{where}: {self.message}" if where else self.message
        return text.replace("\n", " ")
