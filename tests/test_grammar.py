"""The grammar rule, against a small local server that answers like LanguageTool.

LanguageTool itself cannot be downloaded here, so the tests stand up an HTTP server on
127.0.0.1 that speaks LanguageTool's real ``/v2/languages`` and ``/v2/check`` JSON, flags
a few known misspellings, and records the requests it gets.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from sop_lint import check_text
from sop_lint.cli import main
from sop_lint.config import parse_config

MISSPELLINGS = {"recieve": "receive", "custmer": "customer", "kvitot": "kvittot"}
LANGUAGES = [
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "Swedish", "code": "sv", "longCode": "sv-SE"},
]


class FakeLanguageTool(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _params(self):
        query = parse_qs(urlparse(self.path).query)
        if self.command == "POST":
            length = int(self.headers.get("Content-Length", 0))
            query.update(parse_qs(self.rfile.read(length).decode()))
        return {k: v[0] for k, v in query.items()}

    def do_GET(self):
        self._route()

    def do_POST(self):
        self._route()

    def _route(self):
        path = urlparse(self.path).path
        if path.endswith("/v2/languages"):
            self._reply(LANGUAGES)
        elif path.endswith("/v2/check"):
            params = self._params()
            FakeLanguageTool.requests.append(params)
            self._reply(self._check(params["text"], params["language"]))
        else:
            self.send_error(404)

    @staticmethod
    def _check(text, language):
        matches = []
        for word in re.finditer(r"\w+|\{\{", text):
            token = word.group(0)
            wrong = token.lower() in MISSPELLINGS or token == "{{"
            if not wrong:
                continue
            matches.append(
                {
                    "message": "Possible spelling mistake found.",
                    "shortMessage": "Spelling mistake",
                    "replacements": [{"value": MISSPELLINGS.get(token.lower(), "")}],
                    "offset": word.start(),
                    "length": len(token),
                    "context": {"text": text[:80], "offset": word.start(), "length": len(token)},
                    "sentence": text,
                    "type": {"typeName": "Other"},
                    "rule": {
                        "id": "MORFOLOGIK_RULE_EN_US",
                        "description": "Possible spelling mistake",
                        "issueType": "misspelling",
                        "category": {"id": "TYPOS", "name": "Possible Typo"},
                    },
                    "ignoreForIncompleteSentence": False,
                    "contextForSureMatch": 0,
                }
            )
        return {
            "software": {"name": "LanguageTool", "version": "6.6", "apiVersion": 1},
            "language": {"name": language, "code": language},
            "matches": matches,
        }


@pytest.fixture
def languagetool(monkeypatch):
    FakeLanguageTool.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLanguageTool)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("SOP_LINT_LANGUAGETOOL_URL", url)
    yield url
    server.shutdown()


RETURN_SOP = """---
lang: en
---
# Handling a product return

## Procedure

1. Greet the custmer and ask for the receipt.
2. Call {{ branch.phone }} if you do not recieve the parcel.

```text
recieve this in code: never sent
```
"""


def _grammar_config():
    return parse_config({"extend-select": ["grammar"]})


def test_misspellings_are_reported_at_their_line_and_column_with_the_correction(languagetool):
    findings = [f for f in check_text(RETURN_SOP, config=_grammar_config()) if f.rule == "G001"]
    assert [(f.line, f.column, f.span.end_column) for f in findings] == [(8, 14, 21), (9, 42, 49)]
    assert findings[0].suggestion == "Write \u201ccustomer\u201d."
    assert "MORFOLOGIK_RULE_EN_US" in findings[0].message


def test_placeholders_and_code_are_not_reported_and_one_request_is_made_per_file(languagetool):
    findings = [f for f in check_text(RETURN_SOP, config=_grammar_config()) if f.rule == "G001"]
    assert all(
        "{{" not in (f.source_line or "")[f.column - 1 : f.span.end_column] for f in findings
    )
    assert len(FakeLanguageTool.requests) == 1
    sent = FakeLanguageTool.requests[0]["text"]
    assert "never sent" not in sent
    assert "Handling a product return" not in sent  # headings are titles, not prose
    assert FakeLanguageTool.requests[0]["language"] == "en-US"


def test_swedish_text_goes_to_the_swedish_checker(languagetool):
    text = "---\nlang: sv\n---\n# Retur\n\n1. Kontrollera kvitot noga.\n"
    findings = [f for f in check_text(text, config=_grammar_config()) if f.rule == "G001"]
    assert [(f.line, f.column) for f in findings] == [(6, 16)]
    assert FakeLanguageTool.requests[-1]["language"] == "sv"


def test_grammar_is_off_unless_selected(languagetool):
    assert not [f for f in check_text(RETURN_SOP) if f.rule == "G001"]
    assert FakeLanguageTool.requests == []


def test_unreachable_server_warns_once_and_the_other_rules_still_decide_the_exit_code(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("SOP_LINT_LANGUAGETOOL_URL", "http://127.0.0.1:9")
    sop = tmp_path / "return.md"
    sop.write_text("# Return\n\n1. " + " ".join(["word"] * 51) + ".\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(sop), "--extend-select", "grammar"])
    assert result.exit_code == 1  # the 51-word step is an error; grammar did not change that
    assert result.stderr.count("LanguageTool server http://127.0.0.1:9 is unreachable") == 1
    assert "B001" in result.stdout


def test_require_languagetool_makes_an_unreachable_server_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOP_LINT_LANGUAGETOOL_URL", "http://127.0.0.1:9")
    sop = tmp_path / "return.md"
    sop.write_text("# Return\n\n1. Greet the customer.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(sop), "--extend-select", "grammar", "--require-languagetool"]
    )
    assert result.exit_code == 2
    assert "unreachable" in result.stderr


def test_cli_reports_grammar_findings_from_the_server(languagetool, tmp_path):
    sop = tmp_path / "return.md"
    sop.write_text(RETURN_SOP, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(sop), "--extend-select", "grammar"])
    assert result.exit_code == 0
    assert ":8:14: G001 [warning] Possible spelling mistake found." in result.stdout
