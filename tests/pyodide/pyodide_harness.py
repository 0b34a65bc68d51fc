"""The Python side of harness.mjs."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any


class PyodideError(Exception):
    """Python raised inside Pyodide."""


class Pyodide:
    """Talks to tests/pyodide/harness.mjs, one JSON line each way."""

    def __init__(self, process: subprocess.Popen[str], version: str) -> None:
        self.process, self.version = process, version
        self.ids = itertools.count()

    def request(self, **request: Any) -> Any:
        assert self.process.stdin and self.process.stdout
        request["id"] = next(self.ids)
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        assert reply["id"] == request["id"]
        if "error" in reply:
            raise PyodideError(reply["error"])
        self.stdout = reply["stdout"]
        return reply["value"]

    def exec(self, code: str) -> None:
        self.request(exec=code)

    def eval(self, expression: str) -> Any:
        return self.request(eval=expression)

    def call(self, name: str, **payload: Any) -> Any:
        return self.request(call=name, payload=payload)

    def files(self, files: list[tuple[Path, str]]) -> None:
        self.request(files=[[str(source), path] for source, path in files])
