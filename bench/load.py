"""Concurrency and soak: N websocket sessions driving reruns, closed loop, on loopback."""
from __future__ import annotations

import statistics
import threading
import time

from .server import Server
from .wsclient import Session


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for an empty list."""
    if not values:
        return 0.0
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q / 100 * len(v) + 0.5)) - 1))
    return v[k]


def drive(server: Server, views: list[tuple[str, str, str]], sessions: int, reruns_per_session: int,
          time_limit_s: float, think_ms: float = 0.0, reconnect_every: int = 0,
          on_progress=None) -> dict:
    """Run ``sessions`` threads, each with its own websocket session, cycling through ``views``
    (offset per session) for ``reruns_per_session`` reruns or until ``time_limit_s``.

    Every rerun is timed from request to ``script_finished``. Errors = failed connects, timeouts,
    protocol failures, non-successful finishes and the app's error guard / exception elements.
    RSS of the server (incl. children) is sampled every 0.25 s.
    """
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(sessions + 1)
    stop_at = [0.0]
    done = [0]
    rss_samples: list[float] = []
    stop_sampling = threading.Event()

    def sampler():
        while not stop_sampling.is_set():
            rss_samples.append(server.rss_mb())
            stop_sampling.wait(0.25)

    def worker(i: int):
        s = Session(server.ws_url)
        try:
            s.connect()
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"connect: {type(exc).__name__}: {exc}")
            try:
                start.wait()
            except threading.BrokenBarrierError:
                pass
            return
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        try:
            for k in range(reruns_per_session):
                if time.perf_counter() > stop_at[0]:
                    break
                if reconnect_every and k and k % reconnect_every == 0:
                    s.close()
                    s.connect()
                path, query = views[(i + k) % len(views)][-2:]
                try:
                    r = s.run(path.strip("/"), query)
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"{path}?{query}: {type(exc).__name__}: {exc}")
                    s.close()
                    try:
                        s.connect()
                    except Exception:  # noqa: BLE001
                        return
                    continue
                with lock:
                    lat.append(r.ms)
                    done[0] += 1
                    errors.extend(f"{path}?{query}: {e}" for e in r.errors)
                if on_progress:
                    on_progress()
                if think_ms:
                    time.sleep(think_ms / 1000)
        finally:
            s.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(sessions)]
    for t in threads:
        t.start()
    smp = threading.Thread(target=sampler, daemon=True)
    rss_before = server.rss_mb()
    stop_at[0] = time.perf_counter() + time_limit_s + 60  # provisional, before any worker can look
    start.wait()
    t0 = time.perf_counter()
    stop_at[0] = t0 + time_limit_s
    smp.start()
    for t in threads:
        t.join(time_limit_s + 60)
    wall = time.perf_counter() - t0
    stop_sampling.set()
    smp.join(2)
    rss_end = server.rss_mb()
    return {
        "sessions": sessions,
        "think_ms": think_ms,
        "reruns": done[0],
        "planned_reruns": sessions * reruns_per_session,
        "errors": len(errors),
        "error_samples": errors[:10],
        "duration_s": wall,
        "throughput_rps": done[0] / wall if wall > 0 else 0.0,
        "p50_ms": pct(lat, 50),
        "p95_ms": pct(lat, 95),
        "max_ms": max(lat) if lat else 0.0,
        "mean_ms": statistics.fmean(lat) if lat else 0.0,
        "rss_mb_before": rss_before,
        "rss_mb_max": max(rss_samples + [rss_end]),
        "rss_mb_end": rss_end,
        "hit_time_limit": done[0] < sessions * reruns_per_session,
    }
