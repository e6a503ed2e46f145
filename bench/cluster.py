"""A local multi-replica run: N Streamlit replicas on 127.0.0.1 behind Debian's HAProxy, sticky by cookie.

Usage (from the repository root)::

    .venv/bin/python -m bench.cluster --replicas 2             # until Ctrl-C; prints the URL
    .venv/bin/python -m bench.cluster --replicas 2 --port 8080 --duration 60

The balancer is ``deploy/haproxy.cfg`` (the file docker-compose.yml uses), with its bind address, stats
socket and ``server-template`` line replaced by loopback ones: replica ``rK`` listens on its own
127.0.0.1 port and the stickiness cookie ``ATLAS_REPLICA`` names it (``r1``, ``r2``, ...). Everything
binds to 127.0.0.1; everything started is stopped on exit (Ctrl-C, SIGTERM, ``--duration`` or an error).
"""
from __future__ import annotations

import argparse
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .server import REPO, Server, free_port, stop_process

HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
COOKIE = "ATLAS_REPLICA"
BACKEND = "streamlit"
HAPROXY_BINARIES = ("/usr/sbin/haproxy", "haproxy")


def haproxy_binary() -> str | None:
    for b in HAPROXY_BINARIES:
        path = shutil.which(b) or (b if Path(b).exists() else None)
        if path:
            return path
    return None


def local_config(servers: list[tuple[str, int]], port: int, stats_socket: Path, stats_port: int) -> str:
    """deploy/haproxy.cfg with loopback binds and one explicit ``server`` line per local replica."""
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    lines = "\n".join(f"    server {name} 127.0.0.1:{p} cookie {name}" for name, p in servers)
    subs = [
        (r"^(\s*)bind :8080\s*$", rf"\g<1>bind 127.0.0.1:{port}"),
        (r"^(\s*)bind :8404\s*$", rf"\g<1>bind 127.0.0.1:{stats_port}"),
        (r"^(\s*)stats socket \S+", rf"\g<1>stats socket {stats_socket}"),
        (r"^\s*server-template .*$", lines),
        (r"^resolvers docker\n(?:[ \t]+.*\n|[ \t]*\n)*", ""),  # no DNS: servers are explicit
        (r"^\s*dynamic-cookie-key .*\n", ""),
        (r"^(\s*cookie \S+ .*?) dynamic$", r"\g<1>"),  # explicit cookie values r1, r2, ... instead
    ]
    for pat, rep in subs:
        text, n = re.subn(pat, rep, text, flags=re.M)
        if n != 1:
            raise RuntimeError(f"deploy/haproxy.cfg changed: expected one match of {pat!r}, found {n}")
    return text


class Cluster:
    """``replicas`` app servers + HAProxy, all on 127.0.0.1. Use as a context manager."""

    def __init__(self, replicas: int = 2, port: int | None = None, script: str = "app.py",
                 logdir: Path | None = None, extra_args: list[str] | None = None):
        if replicas < 1:
            raise ValueError("replicas must be >= 1")
        self.tmp = Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        self.logdir = logdir or self.tmp
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.stats_port = free_port()
        self.stats_socket = self.tmp / "haproxy.sock"
        self.replicas = {f"r{i + 1}": Server(script, log_path=self.logdir / f"replica-r{i + 1}.log",
                                             extra_args=extra_args) for i in range(replicas)}
        self.haproxy: subprocess.Popen | None = None

    # ---------------------------------------------------------------- addresses
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    @property
    def stats_url(self) -> str:
        return f"http://127.0.0.1:{self.stats_port}/stats"

    @property
    def config_path(self) -> Path:
        return self.tmp / "haproxy.cfg"

    # ---------------------------------------------------------------- lifecycle
    def start(self, timeout: float = 90.0) -> "Cluster":
        binary = haproxy_binary()
        if binary is None:
            raise RuntimeError("HAProxy not found: install Debian's package (apt-get install haproxy)")
        try:
            for srv in self.replicas.values():
                srv.start()
            for srv in self.replicas.values():
                srv.wait_healthy(timeout)
            cfg = local_config([(n, s.port) for n, s in self.replicas.items()], self.port, self.stats_socket,
                               self.stats_port)
            self.config_path.write_text(cfg, encoding="utf-8")
            log = open(self.logdir / "haproxy.log", "ab")
            # -db: stay in the foreground (no daemon), so this process owns it and stops it.
            self.haproxy = subprocess.Popen([binary, "-db", "-f", str(self.config_path)], stdout=log,
                                            stderr=subprocess.STDOUT)
            self.wait_up(list(self.replicas), timeout=30)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.haproxy)
        self.haproxy = None
        for srv in self.replicas.values():
            srv.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)  # config and socket (logs too, unless logdir was given)

    def kill_replica(self, name: str) -> None:
        """SIGKILL one replica (a machine dying: no clean shutdown, no goodbye to its websockets)."""
        srv = self.replicas[name]
        if srv.proc and srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait(10)
        srv.proc = None

    def restart_replica(self, name: str, timeout: float = 90.0) -> None:
        """Start a killed replica again on the same port (HAProxy's health check brings it back)."""
        srv = self.replicas[name]
        srv.start()
        srv.wait_healthy(timeout)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---------------------------------------------------------------- HAProxy runtime API (stats socket)
    def admin(self, command: str, timeout: float = 5.0) -> str:
        """One command on HAProxy's stats socket (e.g. ``show stat``, ``disable server streamlit/r2``)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(self.stats_socket))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        return b"".join(chunks).decode(errors="replace")

    def status(self) -> dict[str, str]:
        """HAProxy's view of each replica: name -> status (``UP``, ``DOWN``, ``MAINT``, ``UP 1/2`` ...)."""
        out = self.admin("show stat")
        lines = [ln for ln in out.splitlines() if ln.strip()]
        header = lines[0].lstrip("# ").split(",")
        i_px, i_sv, i_st = header.index("pxname"), header.index("svname"), header.index("status")
        res = {}
        for ln in lines[1:]:
            f = ln.split(",")
            if len(f) > i_st and f[i_px] == BACKEND and f[i_sv] in self.replicas:
                res[f[i_sv]] = f[i_st]
        return res

    def connections(self) -> dict[str, int]:
        """HAProxy's total-connections counter per replica (``stot``: forwarded connections, not health checks)."""
        out = self.admin("show stat").splitlines()
        head = out[0].lstrip("# ").split(",")
        i_px, i_sv, i_tot = head.index("pxname"), head.index("svname"), head.index("stot")
        return {f[i_sv]: int(f[i_tot]) for f in (ln.split(",") for ln in out[1:] if ln)
                if len(f) > i_tot and f[i_px] == BACKEND and f[i_sv] in self.replicas}

    def wait_status(self, want: dict[str, str], timeout: float = 30.0) -> float:
        """Block until HAProxy reports each replica in ``want`` with that status; return seconds taken."""
        t0 = time.perf_counter()
        last: dict[str, str] = {}
        while time.perf_counter() - t0 < timeout:
            if self.haproxy is None or self.haproxy.poll() is not None:
                raise RuntimeError("HAProxy is not running")
            try:
                last = self.status()
            except OSError:
                last = {}
            if all(last.get(k) == v for k, v in want.items()):
                return time.perf_counter() - t0
            time.sleep(0.1)
        raise TimeoutError(f"HAProxy status {last} never reached {want} within {timeout}s")

    def wait_up(self, names: list[str], timeout: float = 30.0) -> float:
        return self.wait_status({n: "UP" for n in names}, timeout)

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Take a replica out of (or back into) rotation without stopping it (maintenance mode)."""
        self.admin(f"{'enable' if enabled else 'disable'} server {BACKEND}/{name}")

    def rss_mb(self) -> float:
        """Resident memory of all replicas (processes + children), in MB."""
        return sum(s.rss_mb() for s in self.replicas.values())

    def health(self) -> int:
        with urllib.request.urlopen(self.base + "/_stcore/health", timeout=5) as r:
            return r.status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2, help="number of app replicas (default 2)")
    ap.add_argument("--port", type=int, default=8080, help="HAProxy's port on 127.0.0.1 (default 8080)")
    ap.add_argument("--duration", type=float, default=0.0, help="stop by itself after this many seconds (0: never)")
    ap.add_argument("--logdir", type=Path, default=None, help="keep replica and HAProxy logs here")
    args = ap.parse_args(argv)

    def on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    cl = Cluster(args.replicas, port=args.port, logdir=args.logdir)
    try:
        cl.start()
        print(f"Cluster Atlas on {cl.base}  ({args.replicas} replicas: "
              + ", ".join(f"{n} on 127.0.0.1:{s.port}" for n, s in cl.replicas.items())
              + f"; HAProxy stats {cl.stats_url})", flush=True)
        print("Press Ctrl-C to stop." if not args.duration else f"Stopping after {args.duration:.0f} s.", flush=True)
        t_end = time.monotonic() + args.duration if args.duration else None
        while t_end is None or time.monotonic() < t_end:
            if cl.haproxy is None or cl.haproxy.poll() is not None:
                print("HAProxy exited; stopping.", file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        cl.stop()
        print("Stopped: HAProxy and every replica.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
