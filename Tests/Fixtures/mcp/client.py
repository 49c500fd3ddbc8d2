"""Drives `autocoder mcp` with the Python `mcp` package's stdio client, as a coding agent would, and checks what
comes back. Usage: client.py AUTOCODER_BINARY. Exits 0 when every check holds; else prints what failed."""
import asyncio
import os
import shutil
import subprocess
import tempfile
import sys
import time

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BINARY = sys.argv[1]
REPOSITORY = sys.argv[2]  # the textstats fixture, copied and committed here before `fix` runs on it
EDIT = ("textstats/stats.py\n<<<<<<< SEARCH\n    pieces = raw_words(text)\n=======\n    pieces = words(text)\n"
        ">>>>>>> REPLACE\n")
ADD_TEST = "from add import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"
WRONG = "```python\ndef add(a, b):\n    return a - b\n```\n"
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```\n"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


async def main():
    server = StdioServerParameters(command=BINARY, args=["mcp"], env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            check(set(tools) == {"solve", "fix", "test", "exec", "runs_list", "run_show"}, f"the tools: {sorted(tools)}")
            check(all(tool.input_schema and tool.output_schema for tool in tools.values()), "every tool has both schemas")

            passed = await session.call_tool("test", {"code": {"add.py": "def add(a, b):\n    return a + b\n"},
                                                      "tests": {"test_add.py": ADD_TEST}})
            check(not passed.is_error and passed.structured_content["passed"] is True, f"a passing test: {passed}")
            failed = await session.call_tool("test", {"code": {"add.py": "def add(a, b):\n    return 0\n"},
                                                      "tests": {"test_add.py": ADD_TEST}})
            check(not failed.is_error and failed.structured_content["outcome"] == "failed", f"a failing test: {failed}")
            check(failed.structured_content["tests"][0]["outcome"] == "failed", "the failing case is reported")

            ran = await session.call_tool("exec", {"code": "print(6 * 7)"})
            check(ran.structured_content["stdout"] == "42\n" and ran.structured_content["exit_code"] == 0, f"exec: {ran}")

            progress = []

            async def on_progress(value, total, message):
                progress.append((value, total, message))

            solved = await session.call_tool(
                "solve", {"description": "Write add(a, b) in add.py.", "tests": {"test_add.py": ADD_TEST},
                          "solution": "add.py", "script": [WRONG, RIGHT], "max_iterations": 3},
                progress_callback=on_progress)
            outcome = solved.structured_content
            check(not solved.is_error and outcome["solved"] is True and outcome["iterations"] == 2, f"solve: {solved}")
            check(len(progress) == 4 and progress[-1][2].startswith("iteration 2: 1/1 tests passed"),
                  f"progress, one per iteration start and test run: {progress}")

            runs = (await session.call_tool("runs_list", {"limit": 5})).structured_content["runs"]
            check(runs and runs[0]["id"] == outcome["run_id"], f"runs_list has the run first: {runs[:1]}")
            shown = await session.call_tool("run_show", {"id": outcome["run_id"][:8]})
            check(not shown.is_error and len(shown.structured_content["steps"]) == 2, f"run_show: {str(shown)[:400]}")

            root = os.path.join(tempfile.mkdtemp(), "textstats")
            shutil.copytree(REPOSITORY, root)
            for command in (["init", "-q"], ["add", "-A"],
                            ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
                subprocess.run(["git", "-C", root] + command, check=True)
            before = open(os.path.join(root, "textstats/stats.py")).read()
            fixed = await session.call_tool("fix", {"path": root, "script": [EDIT]})
            report = fixed.structured_content
            check(not fixed.is_error and report["solved"] is True and report["nothing_to_fix"] is False, f"fix: {fixed}")
            check("+    pieces = words(text)" in report["diff"], f"the fix's diff: {report['diff']}")
            check(open(os.path.join(root, "textstats/stats.py")).read() == before, "fix changes nothing by default")

            unknown = await session.call_tool("nope", {})
            check(unknown.is_error and "no tool 'nope'" in unknown.content[0].text, f"an unknown tool: {unknown}")
            missing = await session.call_tool("test", {"tests": {"test_add.py": ADD_TEST}})
            check(missing.is_error and "'code' is missing" in missing.content[0].text, f"bad arguments: {missing}")

            # A cancelled solve stops its run and kills its processes: the test starts a sleeping child whose command
            # line carries a marker; it is there while the run goes on, and gone once the client cancels.
            marker = f"autocoder-mcp-cancel-{os.getpid()}"
            slow_test = ("import subprocess, sys\nfrom add import add\n\ndef test_slow():\n"
                         f"    subprocess.run([sys.executable, '-c', 'import time; time.sleep(60)', '{marker}'])\n")

            def running():
                return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()

            seen = []
            async with anyio.create_task_group() as group:
                async def slow_solve():
                    await session.call_tool(
                        "solve", {"description": "Slow.", "tests": {"test_add.py": slow_test}, "solution": "add.py",
                                  "script": [RIGHT], "max_iterations": 1})

                group.start_soon(slow_solve)
                for _ in range(40):
                    await anyio.sleep(0.25)
                    seen = running()
                    if seen:
                        break
                group.cancel_scope.cancel()
            check(seen, "the slow test's child was seen running before the cancellation")
            for _ in range(40):
                if not running():
                    break
                await anyio.sleep(0.25)
            check(not running(), f"processes of the cancelled run are left: {running()}")

            after = await session.call_tool("exec", {"code": "print('still here')"})
            check(after.structured_content["stdout"] == "still here\n", "the server goes on after errors and a cancellation")
    print("ok")


asyncio.run(main())
