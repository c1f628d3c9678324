"""API project list under gunicorn (2 workers, loopback) against a bare Django view that
runs the same query and returns the same JSON with json.dumps (bench/bare_api.py).

    .venv/bin/python bench/bench_api.py [--requests 400] [--concurrency 4] [--rounds 3]

Works on a copy of the province data set (/tmp/zsprov/zhaoshang.sqlite3, made by
`manage.py generate --scale province`), taken with SQLite's backup API into /tmp/zsapi/ and
migrated there, so the original is never written. A province-level bureau user (sees every
project) sends a token; each request asks for 100 projects. The two servers run side by
side and their rounds alternate, so machine load slows both alike. Prints requests/s and
p95 of each, and the API's share of the bare view's requests/s (goal: ≥ 70 %).

    .venv/bin/python bench/bench_api.py --in-process [--pairs 100]

alternates one API request and one bare-view request in a single process (the bare view
mounted next to the API in a URLconf made for the run), one at a time, and prints the
median of each: steadier than the servers on a shared machine, since load drift hits both.
"""

import argparse
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/tmp/zsprov/zhaoshang.sqlite3")
DATA = Path("/tmp/zsapi")
PATH = "/api/pipeline/projects/?page_size=100"


def copy_database():
    target = DATA / "zhaoshang.sqlite3"
    if target.exists():
        return target
    DATA.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{SOURCE}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    source.backup(copy)
    copy.close()
    source.close()
    return target


def env(port):
    return {
        **os.environ,
        "ZHAOSHANG_DATA_DIR": str(DATA),
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
        "ZHAOSHANG_API_RATE": "10000000/min",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESSLOG": "",
        "PYTHONPATH": str(ROOT),
    }


def prepare():
    """Migrate the copy and give a province-level bureau user a token."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env(0),
        check=True,
    )
    script = (
        "from django.contrib.auth.models import Group\n"
        "from zhaoshang.api.models import ApiToken\n"
        "from zhaoshang.organization.models import Unit, User\n"
        "root = Unit.objects.filter(parent__isnull=True).first()\n"
        "user, _ = User.objects.get_or_create(username='bench_api', defaults={'unit': root})\n"
        "user.groups.set([Group.objects.get(name='bureau')])\n"
        "print(ApiToken.issue(user, 'bench', 1)[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env(0),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def start(app, port):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken: is an earlier run still serving?")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-c", "zhaoshang/gunicorn.conf.py"],
        cwd=ROOT,
        env=env(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/healthz-none", timeout=1)
        except urllib.error.HTTPError:
            return proc  # it answers (404 or 401: this address names nothing)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{app} did not start")


def load(port, token, total, concurrency):
    """`total` GETs over `concurrency` threads; returns (requests/s, [latencies ms])."""
    latencies, lock = [], threading.Lock()
    remaining = [total]

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            conn.request("GET", PATH, headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise SystemExit(f"port {port}: {response.status} {body[:200]!r}")
            with lock:
                latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total / (time.perf_counter() - started), latencies


def same_json(api_port, bare_port, token):
    def get(port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", PATH, headers={"Authorization": f"Token {token}"})
        return json.loads(conn.getresponse().read())

    api, bare = get(api_port), get(bare_port)
    assert api["count"] == bare["count"], (api["count"], bare["count"])
    assert api["results"] == bare["results"], "the bare view's JSON differs from the API's"
    return api["count"]


def p95(values):
    values = sorted(values)
    return values[max(0, int(round(0.95 * len(values))) - 1)]


def in_process(token, pairs):
    """Median ms of the API and of the bare view, alternating request by request."""
    import types

    os.environ.update(env(0))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.urls import path

    import zhaoshang.urls
    from bench import bare_api

    urlconf = types.ModuleType("bench_api_urls")
    urlconf.urlpatterns = [
        path("api/bare/pipeline/projects/", bare_api.projects),
        *zhaoshang.urls.urlpatterns,
    ]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    urls = {"api": PATH, "bare": PATH.replace("/api/", "/api/bare/")}
    times = {"api": [], "bare": []}
    with override_settings(ROOT_URLCONF=urlconf):
        bodies = {name: client.get(url).json() for name, url in urls.items()}
        assert bodies["api"]["results"] == bodies["bare"]["results"]
        for _ in range(pairs):
            for name, url in urls.items():
                started = time.perf_counter()
                response = client.get(url)
                times[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, response.status_code)
    api, bare = statistics.median(times["api"]), statistics.median(times["bare"])
    print(f"project list in process, {pairs} alternating pairs, one request at a time")
    print(f"  api  {api:6.1f} ms   bare {bare:6.1f} ms (medians)")
    print(f"  API / bare view: {bare / api:.0%} (requests/s; goal ≥ 70 %)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--pairs", type=int, default=100)
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: generate the province data set first")
    copy_database()
    token = prepare()
    if args.in_process:
        return in_process(token, args.pairs)
    servers = [start("zhaoshang.wsgi", 8931)]
    try:
        servers.append(start("bench.bare_api:application", 8932))
        count = same_json(8931, 8932, token)
        for port in (8931, 8932):
            load(port, token, 20, args.concurrency)  # warm up
        results = {"api": ([], []), "bare": ([], [])}
        for _ in range(args.rounds):
            for name, port in (("api", 8931), ("bare", 8932)):
                rate, latencies = load(port, token, args.requests, args.concurrency)
                results[name][0].append(rate)
                results[name][1].extend(latencies)
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"project list, 100 of {count} projects, {args.concurrency} clients, 2 workers each")
    rates = {}
    for name, (rate_list, latencies) in results.items():
        rates[name] = statistics.median(rate_list)
        print(
            f"  {name:5} {rates[name]:7.1f} req/s (median of {args.rounds} rounds)   "
            f"p50 {statistics.median(latencies):6.1f} ms   p95 {p95(latencies):6.1f} ms"
        )
    share = rates["api"] / rates["bare"]
    print(f"  API / bare view: {share:.0%} (goal ≥ 70 %)")


if __name__ == "__main__":
    main()
