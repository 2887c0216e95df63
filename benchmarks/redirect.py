"""Benchmark the tracked-link redirect against a bare nginx 302, in the same run.

    .venv/bin/python benchmarks/redirect.py [--duration 10] [--connections 64] [--threads 2]

1. Migrates a temporary SQLite database, creates a workspace, a creator and a real tracked link.
2. Starts `infludesk serve --workers 2` on a free loopback port and loads /l/<slug> with wrk
   (fixed time, --latency, a desktop browser User-Agent so clicks count as human).
   A 2 s warm-up run comes first (for nginx too); it is not measured.
3. Stops the server gracefully, then counts the Click rows: every request wrk saw completed
   (warm-up included) must have its click (requests still in flight when wrk stopped were
   answered too, so the table may hold up to `connections` more per wrk run).
4. Starts nginx (temporary config, `daemon off`, current user) returning a 302 and runs the same
   wrk. Prints requests/s, p50 and p99 for both and the ratio. Targets: >= 0.10x nginx's
   requests/s and p99 < 50 ms.

Needs Debian's `wrk` and `nginx-light` (`apt-get install wrk nginx-light`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
SETUP = """
import django
django.setup()
from django.db import connection
if connection.vendor == "sqlite":  # a throwaway database: skip the fsyncs of each migration
    connection.cursor().execute("PRAGMA synchronous=OFF")
from django.core.management import call_command
call_command("migrate", verbosity=0)
from infludesk.core.models import Workspace
from infludesk.creators.models import Creator, SocialAccount
from infludesk.tracking.links import tracked_link_create
ws = Workspace.objects.create(name="Bench", slug="bench")
creator = Creator.objects.create(workspace=ws, name="Anna Berg")
SocialAccount.objects.create(workspace=ws, creator=creator, platform="instagram", handle="anna")
link = tracked_link_create(workspace=ws, creator=creator, by=None,
                           destination_url="https://shop.example.com/products/trail-shoes")
print(link.slug)
"""
NGINX_CONF = """
{user}
worker_processes 2;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ return 302 https://shop.example.com/products/trail-shoes; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, args: argparse.Namespace, duration: int | None = None) -> dict[str, float]:
    seconds = duration or args.duration
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    cmd += ["--latency", "-H", f"User-Agent: {UA}", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))

    def latency(key: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", lat[key]).groups()  # type: ignore[union-attr]
        return _ms(number, unit)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "p50": latency("50"),
        "p99": latency("99"),
        "non_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "none",  # type: ignore[dict-item]
    }


def bench_app(tmp: Path, args: argparse.Namespace) -> tuple[dict[str, float], int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "infludesk.settings",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "INFLUDESK_VAR_DIR": str(tmp),
        "SECRET_KEY": "benchmark-only-secret-key",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    slug = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    port = free_port()
    cmd = [str(BIN / "infludesk"), "serve", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen(cmd, env=env, cwd=tmp, start_new_session=True)
    try:
        wait_for_port(port, server)
        url = f"http://127.0.0.1:{port}/l/{slug}"
        # warm-up (workers started, link cached); its clicks count in the durability check
        warm = run_wrk(url, args, duration=2)
        result = run_wrk(url, args)
        result["warmup_requests"] = warm["requests"]
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: workers drain, the rest is folded
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    with sqlite3.connect(tmp / "bench.sqlite3") as db:
        clicks = db.execute("SELECT COUNT(*) FROM tracking_click").fetchone()[0]
    return result, clicks


def bench_nginx(tmp: Path, args: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port))
    nginx = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(tmp)],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, nginx)
        run_wrk(f"http://127.0.0.1:{port}/l/anything", args, duration=2)
        return run_wrk(f"http://127.0.0.1:{port}/l/anything", args)
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    missing = [
        t for t in ("wrk", "nginx") if not (shutil.which(t) or Path(f"/usr/sbin/{t}").exists())
    ]
    if missing:
        print(f"redirect benchmark: {', '.join(missing)} not found.")
        print("Install Debian's packages: apt-get install -y wrk nginx-light")
        return 1
    print(
        f"== redirect: wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s, on {os.cpu_count()} CPUs (load avg {os.getloadavg()[0]:.1f})"
    )
    with tempfile.TemporaryDirectory(prefix="infludesk-bench-") as name:
        tmp = Path(name)
        app, clicks = bench_app(tmp, args)
        nginx = bench_nginx(tmp, args)
    ratio = app["rps"] / nginx["rps"]
    print(f"{'':24}{'requests/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'requests':>10}")
    for name, r in (("infludesk serve /l/<slug>", app), ("nginx return 302", nginx)):
        print(f"{name:24}{r['rps']:>12,.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['requests']:>10}")
    print(
        f"ratio infludesk / nginx: {ratio:.3f}x (target >= 0.10x); "
        f"p99 {app['p99']:.1f} ms (target < 50 ms)"
    )
    completed = int(app["requests"] + app["warmup_requests"])
    in_flight = clicks - completed
    # each of the two wrk runs may stop with up to `connections` requests answered but unread
    durable = 0 <= in_flight <= 2 * args.connections and app["non_3xx"] == 0
    print(
        f"clicks stored: {clicks}; wrk completed: {completed} (2 s warm-up included); "
        f"answered while wrk stopped: {in_flight}; socket errors: {app['socket_errors']}"
    )
    print("every completed click durable: " + ("yes" if durable else "NO"))
    met = durable and ratio >= 0.10 and app["p99"] < 50
    print("targets met: " + ("yes" if met else "no"))
    return 0 if durable else 1


if __name__ == "__main__":
    sys.exit(main())
