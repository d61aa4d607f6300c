"""A headless Chromium driven over the DevTools protocol on a pipe (test helper).

Chromium's ``--remote-debugging-pipe`` reads commands on file descriptor 3 and writes
replies and events on 4, each a JSON message ended by a NUL byte; nothing to install
beyond the browser (Debian's ``chromium``; .ci/run installs it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)  # fmt: skip
BASH = shutil.which("bash") or "/bin/bash"


class Browser:
    """One page in a headless Chromium: evaluate script, move the mouse, press keys."""

    def __init__(self, url: str, width: int = 1280, height: int = 1600) -> None:
        assert CHROMIUM is not None
        self._profile = tempfile.TemporaryDirectory()
        to_child, self._send = os.pipe()
        self._recv, from_child = os.pipe()

        # bash hands the pipe's ends to chromium as descriptors 3 and 4
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
        for fd in (to_child, from_child):
            os.close(fd)
        to_child, from_child = ends
        self._proc = subprocess.Popen(
            [BASH, "-c", f'exec "$@" 3<&{to_child} 4>&{from_child}', "chromium", CHROMIUM,
             "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
             f"--window-size={width},{height}", "about:blank"],
            pass_fds=(to_child, from_child),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while self.eval("document.readyState") != "complete":
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.05)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                assert "error" not in reply, reply["error"]
                result: dict[str, Any] = reply.get("result", {})
                return result

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._recv, 1 << 16)
            assert chunk, "chromium closed the pipe"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, self._session, **params)

    def eval(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    def mouse(self, kind: str, x: float, y: float) -> None:
        """kind: mouseMoved, or click (pressed then released)."""
        if kind == "click":
            for event in ("mousePressed", "mouseReleased"):
                self.send("Input.dispatchMouseEvent", type=event, x=x, y=y, button="left",
                          clickCount=1)  # fmt: skip
        else:
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y)

    def centre(self, selector: str) -> tuple[float, float]:
        """Scroll the element into view and give its centre in the viewport."""
        box = self.eval(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
            "return [r.left+r.width/2, r.top+r.height/2];})()"
        )
        return float(box[0]), float(box[1])

    def key(self, key: str, code: int) -> None:
        """Press and release a key (``Enter`` 13, ``Tab`` 9) on the focused element."""
        for event in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=event, key=key, code=key,
                      windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)  # fmt: skip
        if key == "Enter":
            self.send("Input.dispatchKeyEvent", type="char", text="\r", key=key)

    def pdf(self, path: Path, width_in: float, height_in: float) -> None:
        import base64

        reply = self.send("Page.printToPDF", paperWidth=width_in, paperHeight=height_in,
                          printBackground=False)  # fmt: skip
        path.write_bytes(base64.b64decode(reply["data"]))

    def close(self) -> None:
        with contextlib.suppress(AssertionError):
            self.call("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._send)
        os.close(self._recv)
        self._profile.cleanup()
