"""Packs a release prefix (scripts/release) as a wheel, the way ruff and uv ship compiled binaries: the executables
in the wheel's `scripts` (they land on the environment's PATH), their resources and the man pages and completions
in its `data` (the environment's root: `lib/autocoder/`, `share/`), where the executables look for them. The wheel
is tagged `py3-none-manylinux_2_X_ARCH`, X the newest glibc symbol version the executables need. `wheel pack`
(PyPI's `wheel`) writes the RECORD and the file. Usage: python3 scripts/wheel.py PREFIX VERSION ARCH DIST"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def glibc_floor(executables):
    found = set()
    for path in executables:
        symbols = subprocess.run(["objdump", "-T", path], capture_output=True, text=True, check=True).stdout
        found.update(tuple(int(part) for part in match.split(".")) for match in re.findall(r"GLIBC_(\d+\.\d+)", symbols))
    major, minor = max(found) if found else (2, 17)
    return f"{major}_{minor}"


def main():
    prefix, version, arch, dist = sys.argv[1:5]
    executables = sorted(os.path.join(prefix, "bin", name) for name in os.listdir(os.path.join(prefix, "bin")))
    tag = f"py3-none-manylinux_{glibc_floor(executables)}_{arch}"
    with tempfile.TemporaryDirectory() as stage:
        root = os.path.join(stage, f"autocoder-{version}")
        info = os.path.join(root, f"autocoder-{version}.dist-info")
        data = os.path.join(root, f"autocoder-{version}.data")
        os.makedirs(info)
        shutil.copytree(os.path.join(prefix, "bin"), os.path.join(data, "scripts"))
        for folder in ("lib", "share"):
            shutil.copytree(os.path.join(prefix, folder), os.path.join(data, "data", folder))
        with open(os.path.join(prefix, "share", "doc", "autocoder", "README.md"), encoding="utf-8") as handle:
            readme = handle.read()
        with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as handle:
            handle.write(
                "Metadata-Version: 2.1\n"
                "Name: autocoder\n"
                f"Version: {version}\n"
                "Summary: Test-driven autonomous coding: a model writes code until the tests pass, in a sandbox.\n"
                "Requires-Python: >=3.9\n"
                # What Python tasks are tested with; in the same environment, whose python3 comes first on PATH.
                "Requires-Dist: pytest\n"
                "Classifier: Operating System :: POSIX :: Linux\n"
                "Classifier: Environment :: Console\n"
                "Description-Content-Type: text/markdown\n\n" + readme)
        with open(os.path.join(info, "WHEEL"), "w", encoding="utf-8") as handle:
            handle.write(f"Wheel-Version: 1.0\nGenerator: autocoder scripts/wheel.py\nRoot-Is-Purelib: false\nTag: {tag}\n")
        subprocess.run([sys.executable, "-m", "wheel", "pack", root, "--dest-dir", dist], check=True,
                       stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
