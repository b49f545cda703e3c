#!/usr/bin/env python3
"""Opens a `policyc report` page in headless Chromium and checks it as a person would see it.

    Scripts/check-report.py REPORT.html VERDICTS.jsonl... [--screenshot PNG] [--self-test]

- No console message of any kind (errors, CSP violations, uncaught exceptions): Chromium's
  `--enable-logging=stderr` prints every console message as `CONSOLE` on standard error.
- No request made by the page: Chromium writes a network log (`--log-net-log`); every URL
  request the page started (its initiator is the page's origin, `null` for a file) is listed.
  Requests Chromium makes for itself carry the initiator `not an origin` and are not the page's;
  host names resolve nowhere, so nothing leaves the machine either way.
- The script ran to its end (it sets `data-script="ok"` on <html>).
- The figures in the DOM (`--dump-dom`, after the script ran) equal counts made here from the
  verdict lines with Python's json module, not with the report's reader.
- `--screenshot PNG` saves what the page looks like (the top of the page, 1280 pixels wide).
- `--self-test` first checks that the checks fail on a broken copy of the page: one with an
  image from http://example.com (its Content-Security-Policy removed, so the request is really
  attempted), one with a blocked image (the CSP's console message), one with a console.error.

Only the standard library: Python 3.9 or later and Debian's `chromium` (or CHROMIUM=path).
Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-component-update",
    "--disable-background-networking",
    "--hide-scrollbars",
    # Any host name resolves nowhere: a request the page tried is in the log, and goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
]


def chromium_binary():
    for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("check-report: no chromium found (apt-get install chromium, or set CHROMIUM)")


def run_chromium(page, extra, workdir):
    """Runs Chromium on `page`; returns (stdout, console lines, page requests)."""
    netlog = os.path.join(workdir, "netlog.json")
    profile = tempfile.mkdtemp(dir=workdir)
    command = [chromium_binary()] + CHROMIUM_FLAGS + [
        "--user-data-dir=" + profile,
        "--enable-logging=stderr",
        "--v=0",
        "--log-net-log=" + netlog,
    ] + extra + ["file://" + os.path.abspath(page)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit("check-report: chromium exited with status %d" % result.returncode)
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console, page_requests(netlog, page)


def page_requests(netlog, page):
    """URLs the page requested, from Chromium's network log."""
    try:
        with open(netlog, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        sys.exit("check-report: no network log: %s" % error)
    # Chromium may leave the log without its closing brackets when it stops.
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    own = "file://" + os.path.abspath(page)
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if types.get(event.get("type")) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":
            continue  # Chromium's own traffic
        if params["url"].split("#")[0] == own:
            continue
        urls.append(params["url"])
    return urls


class Figures(html.parser.HTMLParser):
    """Every element with `data-figure`, and the attributes of <html>."""

    def __init__(self):
        super().__init__()
        self.figures = []
        self.root = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.root = attributes
        if "data-figure" in attributes:
            self.figures.append(attributes)


def expected_figures(paths):
    """Counts from the verdict lines, as io.md defines them and the page names them."""
    verdicts = []
    skipped = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    v = json.loads(line)
                    assert isinstance(v, dict) and all(
                        isinstance(v.get(k), str) for k in ["policy", "rule", "clause", "severity", "shop"])
                    verdicts.append(v)
                except (ValueError, AssertionError):
                    skipped += 1
    violations = [v for v in verdicts if v.get("status") != "pending"]

    def day(v):
        at = v["period"]["start"] if "period" in v else v["at"]
        return date.fromisoformat(at[:10])

    days = [day(v) for v in violations]
    figures = {
        ("violations",): len(violations),
        ("escalations",): sum(1 for v in violations if "escalated_to" in v),
        ("shops",): len({(v["policy"], v["shop"]) for v in violations}),
        ("agents",): len({(v["policy"], v["shop"], v["agent"]) for v in violations if v.get("agent")}),
        ("conversations",): len(
            {(v["policy"], v["shop"], v["conversation"]) for v in violations if "conversation" in v}),
    }
    if days:
        figures[("days",)] = (max(days) - min(days)).days + 1
    if skipped:
        figures[("skipped",)] = skipped
    for severity, n in Counter(v.get("escalated_to", v["severity"]) for v in violations).items():
        figures[("severity", severity)] = n
    for (policy, clause), n in Counter((v["policy"], v["clause"]) for v in violations).items():
        figures[("clause", policy, clause)] = n
    for (policy, rule), n in Counter((v["policy"], v["rule"]) for v in violations if "opened_at" in v).items():
        figures[("delays", policy, rule, "verdicts")] = n
    rates = sorted(
        (v for v in violations if "period" in v),
        key=lambda v: round(v["value"] * 1e6) - round(v["threshold"] * 1e6))
    return figures, rates


def key_of(figure):
    kind = figure["data-figure"]
    if kind == "severity":
        return (kind, figure.get("data-severity"))
    if kind == "clause":
        return (kind, figure.get("data-policy"), figure.get("data-clause"))
    if kind == "delays":
        return (kind, figure.get("data-policy"), figure.get("data-rule"), figure.get("data-source"))
    return (kind,)


def check(page, verdict_paths, screenshot=None, quiet=False):
    """Every check on `page`; returns the list of problems (empty when it passes)."""
    problems = []
    with tempfile.TemporaryDirectory() as workdir:
        dom, console, requests = run_chromium(page, ["--dump-dom", "--virtual-time-budget=5000"], workdir)
        problems += ["console message: " + line.split("CONSOLE", 1)[-1] for line in console]
        problems += ["the page requested " + url for url in requests]
        parser = Figures()
        parser.feed(dom)
        if parser.root.get("data-script") != "ok":
            problems.append("the page's script did not run to its end (no data-script=\"ok\")")
        if verdict_paths is not None:
            problems += compare(parser.figures, verdict_paths, quiet)
        if not quiet and "data-ready-ms" in parser.root:
            print("check-report: the page was ready %s ms after Chromium began loading it"
                  % parser.root["data-ready-ms"])
        if screenshot:
            os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
            shot = os.path.join(workdir, "shot.png")
            run_chromium(page, ["--window-size=1280,2200", "--screenshot=" + shot], workdir)
            shutil.copyfile(shot, screenshot)
            if not quiet:
                print("check-report: screenshot written to", screenshot)
    return problems


def compare(found, verdict_paths, quiet):
    problems = []
    expected, rates = expected_figures(verdict_paths)
    shown = {}
    rate_values = []
    for figure in found:
        try:
            value = int(figure.get("data-value", ""))
        except ValueError:
            problems.append("figure %s has no number" % figure)
            continue
        if figure["data-figure"] == "rate":
            rate_values.append(value)
            continue
        key = key_of(figure)
        if key in shown:
            problems.append("figure %s is shown twice" % (key,))
        shown[key] = value
    for key, value in sorted(expected.items()):
        if key not in shown:
            problems.append("figure %s is missing (expected %d)" % (key, value))
        elif shown[key] != value:
            problems.append("figure %s is %d on the page, %d in the verdicts" % (key, shown[key], value))
    for key in shown:
        if key not in expected and key[0] not in ("severity", "delays"):
            problems.append("figure %s = %d is on the page but not in the verdicts" % (key, shown[key]))
        elif key[0] == "severity" and key not in expected and shown[key] != 0:
            problems.append("severity %s shows %d, the verdicts have none" % (key[1], shown[key]))
    want = [round(v["value"] * 1e6) for v in rates][: len(rate_values)]
    if len(rate_values) != min(len(rates), 200) or rate_values != want:
        problems.append("rates on the page %s, in the verdicts %s" % (rate_values[:5], want[:5]))
    if not quiet:
        print("check-report: %d figures compared with the verdicts" % (len(expected) + 1))
    return problems


def self_test(page):
    """The checks must fail on broken copies of the page."""
    with open(page, encoding="utf-8") as f:
        original = f.read()
    csp = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
    cases = [
        ("an image from the network", csp.sub("", original).replace(
            "</main>", '<img src="http://example.com/x.png" alt=""></main>', 1), "requested http://example.com/x.png"),
        ("an image the CSP blocks", original.replace(
            "</main>", '<img src="http://example.com/x.png" alt=""></main>', 1), "console message"),
        ("a console error", original.replace("</main>", "</main><script>console.error('x')</script>", 1),
         "console message"),
    ]
    failures = []
    with tempfile.TemporaryDirectory() as workdir:
        for name, text, wanted in cases:
            broken = os.path.join(workdir, "broken.html")
            with open(broken, "w", encoding="utf-8") as f:
                f.write(text)
            problems = check(broken, None, quiet=True)
            if not any(wanted in p for p in problems):
                failures.append("self-test: a page with %s passed (problems: %s)" % (name, problems))
            else:
                print("check-report: self-test: a page with %s fails as it should" % name)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page")
    parser.add_argument("verdicts", nargs="+")
    parser.add_argument("--screenshot")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    problems = self_test(args.page) if args.self_test else []
    problems += check(args.page, args.verdicts, args.screenshot)
    for problem in problems:
        print("check-report: FAIL:", problem)
    if problems:
        return 1
    print("check-report: ok: no console message, no request, figures equal the verdicts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
