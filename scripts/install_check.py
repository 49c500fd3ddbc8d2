"""One install of autocoder's release, checked as a new user would use it (scripts/test-install runs it in a view
with no Swift toolchain). KIND is how it is installed: tarball (unpacked), wheel (pip, into a fresh venv, pytest
with it), pipx,
uv (`uv tool install`) or deb (apt, removed again at the end). Then, with nothing of the build on PATH, a fresh
AUTOCODER_HOME and no API key: `--version`, `doctor`, `solve examples/demo` with the local model installed as on
first use, `mcp` answering `initialize` and `serve` answering `/healthz`; pipx and uv, which install the same wheel
as pip, check `--version` and `mcp`. Any failure is one line and exit 1.
Usage: python3 scripts/install_check.py KIND ARTIFACT"""
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request


def fail(message):
    print(f"install_check: {message}", file=sys.stderr)
    sys.exit(1)


def run(command, env, timeout=600, check=True, **extra):
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, **extra)
    if check and result.returncode != 0:
        fail(f"{' '.join(command)} exited {result.returncode}: {(result.stderr or result.stdout).strip()[-600:]}")
    return result


def install(kind, artifact, work, env):
    """The folder holding the installed executables."""
    artifact = os.path.abspath(artifact)
    if kind == "tarball":
        with tarfile.open(artifact) as archive:
            archive.extractall(work, filter="tar")
        (top,) = [name for name in os.listdir(work) if name.startswith("autocoder-")]
        return os.path.join(work, top, "bin")
    if kind == "wheel":
        run([sys.executable, "-m", "venv", os.path.join(work, "venv")], env)
        run([os.path.join(work, "venv", "bin", "pip"), "install", "--quiet", artifact], env)
        return os.path.join(work, "venv", "bin")
    if kind == "pipx":
        env.update(PIPX_HOME=os.path.join(work, "pipx"), PIPX_BIN_DIR=os.path.join(work, "pipx-bin"))
        run([shutil.which("pipx") or "pipx", "install", artifact], env)
        return env["PIPX_BIN_DIR"]
    if kind == "uv":
        env.update(UV_TOOL_DIR=os.path.join(work, "uv-tools"), UV_TOOL_BIN_DIR=os.path.join(work, "uv-bin"),
                   UV_CACHE_DIR=os.path.join(work, "uv-cache"))
        run([shutil.which("uv") or "uv", "tool", "install", artifact], env)
        return env["UV_TOOL_BIN_DIR"]
    if kind == "deb":
        env["DEBIAN_FRONTEND"] = "noninteractive"
        run(["apt-get", "install", "-y", "-qq", artifact], env)
        return "/usr/bin"
    fail(f"unknown kind {kind}")


def check_mcp(binary, env):
    request = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                          "clientInfo": {"name": "install-check", "version": "1"}}}
    process = subprocess.Popen([binary, "mcp"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
    finally:
        process.kill()
        process.wait()
    try:
        answer = json.loads(line)
    except ValueError:
        fail(f"mcp answered initialize with {line[:200]!r}")
    if "serverInfo" not in answer.get("result", {}):
        fail(f"mcp's initialize has no serverInfo: {line[:200]}")


def check_serve(binary, env):
    process = subprocess.Popen([binary, "serve", "--port", "0"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            found = re.search(r"127\.0\.0\.1:(\d+)", line)
            port = found and int(found.group(1))
        if not port:
            fail("serve printed no port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
            if response.status != 200:
                fail(f"serve's /healthz answered {response.status}")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    kind, artifact = sys.argv[1:3]
    demo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "examples", "demo"))
    with tempfile.TemporaryDirectory(prefix="autocoder-install-") as work:
        # The machine's PATH (its Python with pytest, which Python tasks need), but for the Debian package, which
        # depends on Debian's python3-pytest and is checked with the system's folders alone.
        path = "/usr/bin:/bin" if kind == "deb" else os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
        env = {"PATH": path, "HOME": os.path.join(work, "home"), "LANG": "C.UTF-8",
               "AUTOCODER_HOME": os.path.join(work, "autocoder-home"), "PIP_NO_CACHE_DIR": "1"}
        # How this machine reaches PyPI (its certificates, a proxy), as a user's shell would have it.
        env.update({key: value for key, value in os.environ.items()
                    if key in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
                    or key.lower() in ("http_proxy", "https_proxy", "no_proxy") or key.startswith("PIP_")})
        os.makedirs(env["HOME"])
        if shutil.which("swift", path=env["PATH"]) or shutil.which("swiftc", path=env["PATH"]):
            fail("a Swift toolchain is on PATH")
        try:
            folder = install(kind, artifact, work, env)
            binary = os.path.join(folder, "autocoder")
            env["PATH"] = folder + ":" + env["PATH"]
            version = run([binary, "--version"], env).stdout.strip()
            if not re.match(r"^\d+\.\d+\.\d+ \(commit [0-9a-f]{7,}", version):
                fail(f"--version printed {version!r}, not a version and a commit")
            check_mcp(binary, env)
            if kind in ("pipx", "uv"):
                return
            doctor = run([binary, "doctor"], env, check=False)
            if "python" not in (doctor.stdout + doctor.stderr).lower():
                fail(f"doctor said nothing of Python: {doctor.stdout[-400:]}")
            solved = run([binary, "solve", demo, "--json"], env, cwd=work)
            outcome = json.loads(solved.stdout)
            if not outcome.get("solved"):
                fail(f"solve examples/demo did not solve it: {solved.stdout[-400:]}")
            check_serve(binary, env)
        finally:
            if kind == "deb":
                run(["apt-get", "remove", "-y", "-qq", "autocoder"], dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                    check=False)


if __name__ == "__main__":
    main()
