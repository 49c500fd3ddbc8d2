"""Leans on a live `autocoder serve`: a thousand idle event streams on a running run, clients that disconnect
mid-stream, and a run whose processes are killed from outside; the server must keep answering and the run must end.
Usage: reliability.py BASE_URL. Exits 0 when every check holds; else prints what failed."""
import asyncio
import json
import subprocess
import sys
import time
import urllib.request

BASE = sys.argv[1].rstrip("/")
HOST, PORT = BASE.split("//")[1].split(":")
MARKER = f"autocoder-serve-reliability-{time.time_ns()}"
TEST = ("import subprocess, sys\nfrom add import add\n\ndef test_add():\n"
        f"    subprocess.run([sys.executable, '-c', 'import time; time.sleep(60)', '{MARKER}'])\n"
        "    assert add(1, 2) == 3\n")
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```\n"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as answer:
        return answer.status, json.load(answer)


async def main():
    body = json.dumps({"description": "Slow.", "tests": {"test_add.py": TEST}, "solution": "add.py",
                       "script": [RIGHT], "max_iterations": 1}).encode()
    request = urllib.request.Request(BASE + "/v1/runs", method="POST", data=body)
    run = json.load(urllib.request.urlopen(request))["id"]

    streams = []
    for _ in range(1000):
        reader, writer = await asyncio.open_connection(HOST, int(PORT))
        writer.write(f"GET /v1/runs/{run}/events HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        streams.append((reader, writer))
    await asyncio.gather(*(writer.drain() for _, writer in streams))
    check(get("/healthz")[0] == 200, "the server answers with a thousand idle streams open")

    # Ten clients read the start of the stream, then vanish mid-stream.
    for reader, writer in streams[:10]:
        first = await asyncio.wait_for(reader.read(200), 10)
        check(b"200 OK" in first and b"text/event-stream" in first, f"a stream starts: {first[:100]}")
        writer.transport.abort()
    check(get("/healthz")[0] == 200, "the server answers after clients vanished mid-stream")

    # The run's sleeping child is killed from outside: the run must still end, and the server go on.
    deadline = time.time() + 30
    while time.time() < deadline and subprocess.run(["pgrep", "-f", MARKER], capture_output=True).returncode:
        await asyncio.sleep(0.2)
    check(subprocess.run(["pkill", "-9", "-f", MARKER]).returncode == 0, "the run's child was there to kill")
    deadline = time.time() + 30
    status = None
    while time.time() < deadline:
        status = get(f"/v1/runs/{run}")[1]["run"]["status"]
        if status != "running":
            break
        await asyncio.sleep(0.3)
    check(status == "finished", f"the run ended after its process was killed: {status}")

    # The idle streams got the whole run and its end.
    reader, writer = streams[500]
    text = b""
    while b"run.finished" not in text:
        chunk = await asyncio.wait_for(reader.read(65536), 10)
        check(chunk, "the stream ended before run.finished")
        text += chunk
    for _, writer in streams[10:]:
        writer.close()
    check(get("/healthz")[0] == 200, "the server answers after the thousand streams closed")
    print("ok")


asyncio.run(main())
