"""A minimal Streamlit websocket client (what the browser does, minus rendering).

Protocol (Streamlit 1.67, internal, version pinned): connect to ``ws://HOST/_stcore/stream``
with subprotocols ``["streamlit"]`` (the XSRF token in the second slot is only needed to read
the auth cookie, which this app does not use); send a ``BackMsg`` whose ``rerun_script`` is a
``ClientState`` (``page_name`` = the URL path without "/", ``query_string``); the server streams
``ForwardMsg``s and a run ends at the one with ``script_finished`` set.
"""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK = (0, 3)  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY
# Texts of the app's own error guard (components.frame.run_page) - a page that shows them failed.
GUARD_TEXTS = ("Something went wrong drawing this part of the page",
               "This view needs data that could not be loaded")


@dataclass
class RunResult:
    ms: float
    bytes: int = 0
    messages: int = 0
    ref_messages: int = 0
    deltas: int = 0
    status: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _message_errors(fm: ForwardMsg) -> list[str]:
    t = fm.WhichOneof("type")
    if t == "page_not_found":
        return [f"page_not_found: {fm.page_not_found.page_name!r}"]
    if t == "delta" and fm.delta.WhichOneof("type") == "new_element":
        el = fm.delta.new_element
        kind = el.WhichOneof("type")
        if kind == "exception":
            return [f"exception element: {el.exception.type} {el.exception.message[:120]}"]
        if kind == "alert" and any(g in el.alert.body for g in GUARD_TEXTS):
            return [f"error guard shown: {el.alert.body[:120]}"]
    return []


class Session:
    """One browser-like session over the app's websocket."""

    # Linux may delay ACKs by ~40 ms on an idle receiver; in some probe runs that showed up as ~40 ms gaps
    # between the server's message batches. Asking for quick ACKs before each read keeps that transport
    # effect out of the script-time figure (the report also times the bare page without it, for comparison).
    QUICKACK = getattr(socket, "TCP_QUICKACK", None)
    DEFAULT_QUICKACK = True  # `python -m bench --no-quickack` turns it off

    def __init__(self, ws_url: str, timeout: float = 30.0, quickack: bool | None = None):
        self.ws_url = ws_url
        self.timeout = timeout
        quickack = self.DEFAULT_QUICKACK if quickack is None else quickack
        self.quickack = quickack and self.QUICKACK is not None
        self.ws: websocket.WebSocket | None = None

    def _recv(self):
        if self.quickack:
            try:
                self.ws.sock.setsockopt(socket.IPPROTO_TCP, self.QUICKACK, 1)
            except OSError:
                pass
        return self.ws.recv()

    def connect(self) -> "Session":
        self.ws = websocket.create_connection(self.ws_url, subprotocols=["streamlit"], timeout=self.timeout,
                                              enable_multithread=True)
        return self

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close()
            except Exception:  # noqa: BLE001
                pass
            self.ws = None

    def run(self, page: str = "", query: str = "", drain: float = 0.0) -> RunResult:
        """Ask for one run of ``page`` (URL path without "/", "" = home) with ``query``.

        Time = send of the rerun request → receipt of ``script_finished`` (server script time plus a
        loopback hop). Bytes = sum of the ForwardMsg payloads received for this run. ``drain`` waits
        that long after ``script_finished`` for the trailing status messages (for byte counts).
        """
        if self.ws is None:
            self.connect()
        bm = BackMsg()
        bm.rerun_script.page_name = page
        bm.rerun_script.query_string = query
        res = RunResult(ms=0.0)
        t0 = time.perf_counter()
        self.ws.send_binary(bm.SerializeToString())
        deadline = t0 + self.timeout
        while True:
            if time.perf_counter() > deadline:
                res.errors.append(f"timeout after {self.timeout}s")
                break
            data = self._recv()
            if isinstance(data, str):
                data = data.encode()
            fm = ForwardMsg()
            fm.ParseFromString(data)
            res.bytes += len(data)
            res.messages += 1
            if fm.WhichOneof("type") == "ref_hash":
                res.ref_messages += 1
            if fm.WhichOneof("type") == "delta":
                res.deltas += 1
            res.errors.extend(_message_errors(fm))
            if fm.WhichOneof("type") == "script_finished":
                res.status = int(fm.script_finished)
                if res.status not in FINISHED_OK:
                    res.errors.append(f"script_finished status {res.status}")
                break
        res.ms = (time.perf_counter() - t0) * 1000
        if drain > 0:
            self.ws.settimeout(drain)
            try:
                while True:
                    data = self.ws.recv()
                    res.bytes += len(data)
                    res.messages += 1
            except (websocket.WebSocketTimeoutException, TimeoutError):
                pass
            finally:
                self.ws.settimeout(self.timeout)
        return res
