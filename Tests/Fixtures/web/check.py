"""Watches autocoder's web page in a real browser (Debian's Chromium, driven by selenium): the runs list, then a
run started through the API with the script generator, followed live on its page until it is solved.
Usage: check.py BASE_URL [SCREENSHOT_DIR]. Exits 0 when every check holds; else prints what failed."""
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
TEST = "import time\nfrom add import add\n\ndef test_add():\n    time.sleep(1.5)\n    assert add(1, 2) == 3\n"
WRONG = "```python\ndef add(a, b):\n    return a - b\n```\n"
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```\n"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def wait_for(condition, what, seconds=40):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit(f"FAILED: waited {seconds} s for {what}")


options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    browser.get(BASE + "/")
    wait_for(lambda: "No runs yet." in browser.find_element(By.ID, "main").text, "the empty list")

    request = urllib.request.Request(
        BASE + "/v1/runs", method="POST",
        data=json.dumps({"description": "Write add(a, b) in add.py.", "tests": {"test_add.py": TEST},
                         "solution": "add.py", "script": [WRONG, RIGHT]}).encode())
    run = json.load(urllib.request.urlopen(request))["id"]

    # The run's page while it runs, then the same page (no reload) once it is solved: the events drive it.
    browser.get(BASE + f"/#run={run}")
    wait_for(lambda: browser.find_element(By.ID, "verdict").text == "running", "the run shown running")
    wait_for(lambda: browser.find_element(By.ID, "verdict").text == "solved", "the run shown solved, live")
    page = browser.find_element(By.ID, "main").text
    check("stop reason: tests_passed" in page, f"the stop reason: {page[:500]}")
    check("Iteration 1 (generate)" in page and "Iteration 2 (fix)" in page, "both iterations")
    check("assert -1 == 3" in page, "the first iteration's failing test and its message")
    added = [span.text for span in browser.find_elements(By.CSS_SELECTOR, "pre.diff span.add")]
    removed = [span.text for span in browser.find_elements(By.CSS_SELECTOR, "pre.diff span.del")]
    check("+     return a + b" in added and "-     return a - b" in removed, f"the fix's diff: {added} {removed}")
    check("Final files" in page, "the final files")
    if SHOTS:
        browser.save_screenshot(os.path.join(SHOTS, "web-run.png"))

    browser.get(BASE + "/")
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, f'tr[data-id="{run}"] td.status').text == "solved",
             "the list showing the run solved")
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-id="{run}"]').text
    tests = browser.find_element(By.CSS_SELECTOR, f'tr[data-id="{run}"] td.tests').text
    check(tests == "1/1", f"the tests passing: {tests}")
    check("Write add(a, b) in add.py." in row and " 2 " in f" {row} ", f"the row: {row}")
    if SHOTS:
        browser.save_screenshot(os.path.join(SHOTS, "web-runs.png"))
finally:
    browser.quit()
print("ok")
