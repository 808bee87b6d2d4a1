#!/usr/bin/env python3
"""The reference implementation's way of keeping requests in flight, as an anchor for
llm_throughput: a ThreadPool of N threads, each with its own keep-alive http.client
connection, POSTing request bodies (one JSON per line of --bodies) to --url.

Prints one JSON line: done, failed, seconds, cpu (process CPU over the requests) and
done_at (completion times in ms since the first request)."""

import argparse
import http.client
import json
import resource
import threading
import time
import urllib.parse
from multiprocessing.pool import ThreadPool


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8000/v1/completions")
    parser.add_argument("--bodies", required=True, help="file with one JSON request body per line")
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    with open(args.bodies, "rb") as f:
        bodies = [line.rstrip(b"\n") for line in f if line.strip()]
    local = threading.local()
    lock = threading.Lock()
    done_at = []
    failed = [0]
    headers = {"Content-Type": "application/json", "Accept": "application/json"}

    def post(body):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        ok = False
        try:
            conn.request("POST", url.path, body=body, headers=headers)
            response = conn.getresponse()
            answer = json.loads(response.read())
            ok = response.status == 200 and bool(answer.get("choices"))
        except (OSError, http.client.HTTPException, ValueError):
            conn.close()
            local.conn = None
        with lock:
            done_at.append(int((time.monotonic() - start) * 1000))
            if not ok:
                failed[0] += 1

    pool = ThreadPool(args.threads)
    cpu_start = cpu_seconds()
    start = time.monotonic()
    for _ in pool.imap_unordered(post, bodies, chunksize=1):
        pass
    seconds = time.monotonic() - start
    cpu = cpu_seconds() - cpu_start
    pool.terminate()
    print(json.dumps({"done": len(done_at) - failed[0], "failed": failed[0], "seconds": seconds,
                      "cpu": cpu, "done_at": sorted(done_at)}))


if __name__ == "__main__":
    main()
