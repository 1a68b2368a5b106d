"""Hostile values and positions (issue 9): time at n, 2n and 4n, and the growth exponent.

    PYTHONPATH=. python -m benchmarks.hostile_values

Measures, per input class: front matter full of impossible dates and huge numbers (each
becomes a finding), YAML nested past the cap, many findings on one long line through the
engine's position guard, and how long a hung or trickling LanguageTool server holds a
request with ``timeout = 0.5``. An exponent near 1 is linear; near 0, bounded.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sop_lint.engine import inside_file
from sop_lint.model import Finding, Severity, Span
from sop_lint.parser import parse_document, split_front_matter


def best_of(work: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def growth(name: str, make: Callable[[int], Callable[[], object]], n: int) -> None:
    sizes = [n, 2 * n, 4 * n]
    times = [best_of(make(size)) for size in sizes]
    exponent = math.log(times[2] / times[0], 4) if times[0] > 0 else float("nan")
    figures = ", ".join(f"{s}: {t * 1000:.1f} ms" for s, t in zip(sizes, times, strict=True))
    print(f"{name:<44} {figures}; exponent {exponent:.2f}")


def bad_dates(n: int) -> Callable[[], object]:
    text = "---\n" + "".join(f"d{i}: 2027-02-30\n" for i in range(n)) + "---\n# T\n"
    return lambda: split_front_matter(text)


def huge_numbers(n: int) -> Callable[[], object]:
    text = "---\n" + "".join(f"n{i}: 1{'0' * 200}\n" for i in range(n)) + "---\n# T\n"
    return lambda: split_front_matter(text)


def deep_nesting(n: int) -> Callable[[], object]:
    text = "---\nx: " + "[" * n + "]" * n + "\n---\n# T\n"
    return lambda: split_front_matter(text)


def findings_on_one_line(n: int) -> Callable[[], object]:
    line = "word " * n
    doc = parse_document(f"# T\n\n{line}\n", "t.md", "en")
    findings = [
        Finding("t.md", Span(3, 5 * i + 1, 3, 5 * i + 5), "W001", "w", Severity.WARNING, "m")
        for i in range(n)
    ]
    return lambda: inside_file(doc, findings)


class _Slow(BaseHTTPRequestHandler):
    mode = "hang"
    stop = threading.Event()

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "hang":
            self.stop.wait(30)
            return
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            while not self.stop.is_set():
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass


def languagetool_cutoff() -> None:
    from sop_lint.grammar import GrammarSettings, GrammarUnavailable, check_document

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings = GrammarSettings(url=url, timeout=0.5)
    doc = parse_document("# T\n\nGreet the custmer.\n", "t.md", "en")
    for mode in ("hang", "trickle"):
        _Slow.mode = mode
        start = time.perf_counter()
        try:
            list(check_document(doc, settings))
            outcome = "answered"
        except GrammarUnavailable as exc:
            outcome = str(exc).split(url, 1)[1].strip()
        print(
            f"LanguageTool {mode:<8} timeout 0.5 s: ended after "
            f"{time.perf_counter() - start:.2f} s ({outcome})"
        )
    _Slow.stop.set()
    server.shutdown()


def main() -> None:
    growth("front matter: n impossible dates", bad_dates, 900)
    growth("front matter: n 201-digit numbers", huge_numbers, 70)
    growth("front matter: nesting n deep (capped at 20)", deep_nesting, 2000)
    growth("position guard: n findings on one line", findings_on_one_line, 20000)
    languagetool_cutoff()
    print(json.dumps({"note": "exponent ~1 linear, ~0 bounded"}))


if __name__ == "__main__":
    main()
