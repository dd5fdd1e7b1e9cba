"""A minimal Streamlit browser session over the app's own WebSocket protocol.

It speaks what the web client (streamlit/static/.../index.*.js, `sendRerunBackMsg`)
speaks on /_stcore/stream: binary protobuf frames, BackMsg up and ForwardMsg down, with
the classes shipped in streamlit.proto. The subprotocol list is the browser's
["streamlit", <xsrf token or placeholder>]; the first rerun_script names the page by its
URL path (page_name) with an empty page_script_hash, later ones carry the page hash the
server reported, every widget value the session has set so far, the fragment id when the
moved widget lives in an st.fragment, and the hashes of the cacheable messages already
received (so the server answers unchanged large elements with a short ref_hash stub, as
it does for a browser). The client keeps the latest delta per element path, the way the
browser keeps its element tree, to find the sliders of the page.

It keeps the cookies of its HTTP requests and sends them with the WebSocket handshake, as
a browser does (nginx's sticky-session cookie, deploy/nginx.conf). What it does not do:
fetch the static JS/CSS (a browser caches them after the first
visit), render anything, or send heartbeats. Uses the `websockets` package, which
streamlit 1.67 itself requires (no extra dependency).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import random
import time
import urllib.request
from dataclasses import dataclass, field

from cpuclock import CpuLedger
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from widgets import is_movable, random_value, widget_state

_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
_FRAGMENT_DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


@dataclass
class RerunResult:
    seconds: float
    bytes_received: int
    messages: int
    fragment: bool
    errors: int
    widget: str = ""
    page: str = ""
    fragment_id: str = ""
    cpu_s: float = float("nan")  # the server CPU attributed to this rerun (with a ledger)


@dataclass
class _Run:
    future: asyncio.Future[None]
    bytes_received: int = 0
    messages: int = 0
    errors: int = 0
    token: int | None = None  # the rerun's entry in the session's CpuLedger
    cpu_s: float = float("nan")


@dataclass
class Session:
    """One student: a WebSocket on one page of the app."""

    base_url: str  # e.g. http://127.0.0.1:8551
    page: str = ""  # URL path of the page, "" for the home page
    timeout: float = 60.0  # longest wait for one rerun
    query: str = ""  # the address's query string, sent with every rerun (e.g. "lang=ja")
    ws: ClientConnection | None = None
    page_hash: str = ""
    elements: dict[tuple[int, ...], ForwardMsg] = field(default_factory=dict)
    widget_values: dict[str, WidgetState] = field(default_factory=dict)
    # The browser's message cache: hash -> (message, script run that last used it); an
    # entry unused for more than max_cache_age runs is dropped (global.maxCachedMessageAge).
    cached: dict[str, tuple[ForwardMsg, int]] = field(default_factory=dict)
    max_cache_age: int = 2
    run_count: int = 0
    _fresh: dict[tuple[int, ...], ForwardMsg] = field(default_factory=dict)
    _run: _Run | None = None
    nav_paths: list[str] = field(default_factory=list)  # URL paths from st.navigation
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    _reader: asyncio.Task[None] | None = None
    closed_reason: str = ""
    # When set, every rerun's send and script_finished are events of this ledger, which
    # gives each rerun its share of the server's CPU (RerunResult.cpu_s).
    ledger: CpuLedger | None = None
    # When set, the kind of every message received, in order ("script_finished:" and its
    # status for a run's end): what a test reads to see what one click made the server send.
    trace: list[str] | None = None

    # --- connection ------------------------------------------------------------------

    async def open(self) -> RerunResult:
        """Connect like a browser tab and wait for the page's first run."""
        await asyncio.to_thread(self._http_preflight)
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        # Send back the cookies the HTTP requests got (nginx's sticky route, for one).
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self.ws = await connect(
            ws_url,
            additional_headers={"Cookie": cookie} if cookie else None,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],  # type: ignore[list-item]
            compression=None,  # Streamlit's server.enableWebsocketCompression is off
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            proxy=None,
        )
        self._reader = asyncio.create_task(self._read_forever())
        return await self.rerun(first=True)

    def _http_preflight(self) -> None:
        # The browser checks health and reads the host config before opening the socket.
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        for path in ("/_stcore/health", "/_stcore/host-config"):
            with opener.open(self.base_url + path, timeout=self.timeout) as response:
                response.read()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)

    async def _read_forever(self) -> None:
        assert self.ws is not None
        try:
            async for frame in self.ws:
                self._on_frame(frame if isinstance(frame, bytes) else frame.encode())
        except Exception as exc:  # connection lost: fail the pending rerun
            self.closed_reason = repr(exc)
        if not self.closed_reason:
            self.closed_reason = "connection closed"
        if self._run is not None and not self._run.future.done():
            self._run.future.set_exception(ConnectionError(self.closed_reason))

    def _on_frame(self, frame: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        run = self._run
        if run is not None:
            run.bytes_received += len(frame)
            run.messages += 1
        kind = msg.WhichOneof("type")
        if self.trace is not None:
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            self.trace.append(f"{kind}:{status}" if kind == "script_finished" else kind)
        if kind == "new_session":
            self._fresh = {}
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
            self.nav_paths = [page.url_pathname for page in msg.navigation.app_pages]
        elif kind == "ref_hash":
            # An element the browser already holds: the server sent only its hash.
            if msg.ref_hash in self.cached:
                original = self.cached[msg.ref_hash][0]
                self.cached[msg.ref_hash] = (original, self.run_count)
                self._fresh[tuple(msg.metadata.delta_path)] = original
        elif kind == "delta":
            if msg.metadata.cacheable:
                self.cached[msg.hash] = (msg, self.run_count)
            self._fresh[tuple(msg.metadata.delta_path)] = msg
            element = msg.delta.new_element if msg.delta.HasField("new_element") else None
            if run is not None and element is not None and element.HasField("exception"):
                run.errors += 1
        elif kind == "script_finished":
            status = msg.script_finished
            if status == _COMPILE_ERROR and run is not None:
                run.errors += 1
            if status == _FRAGMENT_DONE:
                self.elements.update(self._fresh)  # a fragment redraws only its part
            elif status != _EARLY:
                self.elements = self._fresh  # a full run redraws the whole page
            if status != _EARLY:
                self.run_count += 1
                self.cached = {
                    h: entry
                    for h, entry in self.cached.items()
                    if self.run_count - entry[1] <= self.max_cache_age
                }
            if status != _EARLY and run is not None and not run.future.done():
                self._settle_cpu(run)
                run.future.set_result(None)

    # --- reruns ----------------------------------------------------------------------

    def sliders(self) -> list[tuple[SliderProto, str]]:
        """(slider proto, fragment id) of every slider on the page we can move."""
        found = []
        for msg in self.elements.values():
            if msg.delta.HasField("new_element") and msg.delta.new_element.HasField("slider"):
                proto = msg.delta.new_element.slider
                if is_movable(proto):
                    found.append((proto, msg.delta.fragment_id))
        return sorted(found, key=lambda item: item[0].id)

    async def rerun(
        self, state: WidgetState | None = None, fragment_id: str = "", first: bool = False
    ) -> RerunResult:
        assert self.ws is not None
        if state is not None:
            self.widget_values[state.id] = state
        client_state = ClientState(
            page_script_hash="" if first else self.page_hash,
            page_name=self.page if first else "",
            fragment_id=fragment_id,
            cached_message_hashes=sorted(self.cached),
            query_string=self.query,
        )
        client_state.widget_states.widgets.extend(self.widget_values.values())
        loop = asyncio.get_running_loop()
        self._run = run = _Run(loop.create_future())
        if self.ledger is not None:
            run.token = self.ledger.begin("open" if first else "move")
        start = time.perf_counter()
        try:
            await self.ws.send(BackMsg(rerun_script=client_state).SerializeToString())
            await asyncio.wait_for(run.future, self.timeout)
        finally:
            self._settle_cpu(run)  # a rerun that failed leaves the ledger too
        return RerunResult(
            seconds=time.perf_counter() - start,
            bytes_received=run.bytes_received,
            messages=run.messages,
            fragment=bool(fragment_id),
            errors=run.errors,
            page=self.page,
            fragment_id=fragment_id,
            cpu_s=run.cpu_s,
        )

    def _settle_cpu(self, run: _Run) -> None:
        """End the rerun's ledger entry (once): its CPU share is fixed from here."""
        if self.ledger is not None and run.token is not None:
            run.cpu_s = self.ledger.end(run.token)
            run.token = None

    async def move_random_slider(self, rng: random.Random) -> RerunResult:
        """Move one slider of the page to a random value and wait for the rerun."""
        sliders = self.sliders()
        if not sliders:
            result = await self.rerun()
            result.widget = "(no slider: plain rerun)"
            return result
        proto, fragment_id = rng.choice(sliders)
        result = await self.rerun(widget_state(proto, random_value(proto, rng)), fragment_id)
        result.widget = proto.label
        return result
