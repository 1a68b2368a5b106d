"""The integrations in this repository, run as a user's CI would run them.

- ``.pre-commit-hooks.yaml``: the hooks' contract, a commit of one staged SOP that is not
  blamed for the rest of the set, and ``pre-commit try-repo`` on a scratch repository;
- ``action.yml``: its ``run:`` steps, run locally as bash (as GitHub runs them: ``bash -e``)
  in a scratch git repository, with the inputs set as GitHub sets them;
- the GitLab CI template: its ``before_script`` and ``script`` run the same way.

The SOP set is ``tests/fixtures/workflow/``: a till-closing SOP in English with its
Swedish, Norwegian and Telugu translations, and a cash-deposit SOP with three known
warnings (a wordy phrase, a passive step, a future tense).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO

WORKFLOW_SET = FIXTURES / "workflow"
GIT_USER = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
KNOWN_WARNINGS = [  # cash-deposit.md's three known flaws: (line, rule)
    (33, "W001"),
    (34, "I003"),
    (39, "P002"),
]
# A pull request's one bad line: a wordy phrase in an existing step (the step count, and
# so the translations, stay as they are).
CHANGED_STEP = (
    "2. Print the end-of-day report.",
    "2. In order to check the count, print the end-of-day report.",
)
# 62 words in one sentence: a B001 error.
LONG_RECORDS = (
    "Keep the closing sheet in the till folder for one year, and when the auditor from head "
    "office visits the store at the end of the quarter and asks to see the closing sheets, "
    "the cashier and the shift lead show the auditor every sheet from the quarter in the "
    "order of the dates on which the tills were closed by them."
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *GIT_USER, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


@pytest.fixture
def sop_repo(tmp_path) -> Path:
    """A git repository holding the SOP set, committed on ``main``."""
    repo = tmp_path / "store-procedures"
    shutil.copytree(WORKFLOW_SET, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The SOP set as it is today")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def open_pull_request(repo: Path) -> str:
    """Branch off main, change one step of till-closing.md, commit; return main's commit."""
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "wordier-step")
    edit(repo / "docs/en/till-closing.md", *CHANGED_STEP)
    git(repo, "commit", "-q", "-am", "Explain why the report is printed")
    return base


@pytest.fixture
def tools(tmp_path) -> dict:
    """A bin folder with ``sop-lint`` (this checkout) and a ``python`` that records, rather
    than runs, ``python -m pip install`` (installing is pip's job, and the install-weight
    tests cover what gets installed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pip_log = tmp_path / "pip-args.txt"
    launcher = bin_dir / "sop-lint"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sop_lint "$@"\n')
    python = bin_dir / "python"
    python.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then\n'
        f'  shift 2; printf "%s\\n" "$@" > "{pip_log}"; exit 0\n'
        "fi\n"
        f'exec "{sys.executable}" "$@"\n'
    )
    for script in (launcher, python):
        script.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
    }
    for name in ("SOP_LINT_DEBUG", "GITHUB_ACTIONS", "CI"):
        env.pop(name, None)
    return {"env": env, "pip_log": pip_log}


def annotations(output: str) -> list[tuple[str, int, str]]:
    """GitHub annotations in ``output``: (file, line, rule)."""
    found = re.findall(
        r"^::(?:error|warning|notice) file=([^,]+),line=(\d+),.*?title=(\w+)", output, re.M
    )
    return [(path, int(line), rule) for path, line, rule in found]


def text_findings(output: str) -> list[tuple[str, int, str]]:
    """``path:line:col: CODE`` lines of the text format: (file, line, rule)."""
    found = re.findall(r"^(\S+\.md):(\d+):\d+: (\w+) \[", output, re.M)
    return [(path, int(line), rule) for path, line, rule in found]


# -- pre-commit -------------------------------------------------------------------------


def hooks() -> dict[str, dict]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in data}


def test_the_pre_commit_hooks_check_and_fix_the_staged_markdown_files():
    found = hooks()
    assert set(found) == {"sop-lint", "sop-lint-fix"}
    for hook in found.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["markdown"]
        assert hook.get("pass_filenames", True) is True
        # One run sees every staged file: a duplicate id between two of them is found.
        assert hook["require_serial"] is True
    assert found["sop-lint"]["entry"] == "sop-lint check"
    assert found["sop-lint-fix"]["entry"] == "sop-lint check --fix"


def test_pre_commit_accepts_the_hooks_manifest():
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    completed = subprocess.run(
        ["pre-commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_a_commit_of_one_sop_is_not_blamed_for_the_rest_of_the_set(sop_repo, tools):
    """The hook checks only the staged file: the cross-document rules see part of the SOP
    set (rule.partial) and do not report what they cannot judge, such as the id TC-002 or
    the translations' source, which are in files that were not staged."""
    edit(
        sop_repo / "docs/en/till-closing.md",
        "Keep the closing sheet in the till folder for one year.",
        LONG_RECORDS,
    )
    git(sop_repo, "add", "docs/en/till-closing.md")
    staged = git(sop_repo, "diff", "--cached", "--name-only").split()
    assert staged == ["docs/en/till-closing.md"]

    hook = subprocess.run(
        [*shlex.split(hooks()["sop-lint"]["entry"]), *staged],
        cwd=sop_repo,
        capture_output=True,
        text=True,
        env=tools["env"],
    )
    assert hook.returncode == 1, hook.stderr
    assert text_findings(hook.stdout) == [("docs/en/till-closing.md", 47, "B001")]

    # The same rules do judge the whole set: without the SOP it mentions, the id is broken.
    (sop_repo / "docs/en/cash-deposit.md").unlink()
    whole = subprocess.run(
        ["sop-lint", "check"], cwd=sop_repo, capture_output=True, text=True, env=tools["env"]
    )
    assert ("docs/en/till-closing.md", 23, "D010") in text_findings(whole.stdout)


def test_each_sop_committed_alone_gets_only_the_findings_the_whole_set_gives_it(sop_repo, tools):
    def findings(*paths: str) -> set[tuple[str, int, str]]:
        run = subprocess.run(
            ["sop-lint", "check", "--format", "json", "--fail-on", "never", *paths],
            cwd=sop_repo,
            capture_output=True,
            text=True,
            env=tools["env"],
        )
        assert run.returncode == 0, run.stderr
        return {(f["path"], f["line"], f["rule"]) for f in json.loads(run.stdout)["findings"]}

    whole = findings()
    assert {(line, rule) for _, line, rule in whole} == set(KNOWN_WARNINGS)
    for path in sorted(p.relative_to(sop_repo).as_posix() for p in sop_repo.glob("docs/*/*.md")):
        assert findings(path) <= whole, path


def test_a_commit_of_some_sops_is_not_told_to_follow_their_own_minority(sop_repo, tools):
    """Heading consistency compares an SOP with most SOPs of its language. Four SOPs of
    the set say "Records" and two "Record keeping"; a commit that stages the two and one
    of the four must not tell that one to write "Record keeping"."""
    source = (sop_repo / "docs/en/till-closing.md").read_text(encoding="utf-8")
    for number, heading in [(11, "Record keeping"), (12, "Record keeping"), (13, "Records")]:
        copy = source.replace("id: TC-001", f"id: TC-0{number}").replace("see TC-002", "")
        copy = copy.replace("## Records", f"## {heading}")
        (sop_repo / f"docs/en/till-{number}.md").write_text(copy, encoding="utf-8")
    git(sop_repo, "add", "-A")

    def findings(*paths: str) -> set[tuple[str, int, str]]:
        run = subprocess.run(
            ["sop-lint", "check", "--format", "json", "--fail-on", "never", *paths],
            cwd=sop_repo,
            capture_output=True,
            text=True,
            env=tools["env"],
        )
        assert run.returncode == 0, run.stderr
        return {(f["path"], f["line"], f["rule"]) for f in json.loads(run.stdout)["findings"]}

    whole = findings()
    assert {path for path, _, rule in whole if rule == "D011"} == {
        "docs/en/till-11.md",
        "docs/en/till-12.md",
    }
    staged = findings("docs/en/till-11.md", "docs/en/till-12.md", "docs/en/till-13.md")
    assert staged <= whole, staged - whole


def _pre_commit_unavailable(output: str) -> str | None:
    offline = (
        "Could not find a version that satisfies",
        "No matching distribution found",
        "Failed to establish a new connection",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "ProxyError",
    )
    for marker in offline:
        if marker in output:
            return f"pre-commit could not install the hook from the package index ({marker})"
    return None


def try_repo(repo: Path, hook_id: str, tools: dict, home: Path) -> subprocess.CompletedProcess:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    # The hook runs in pre-commit's own environment, with sop-lint installed by pip from
    # this repository: nothing of this checkout's PYTHONPATH or launcher may leak into it.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOP_LINT_DEBUG")}
    env["PRE_COMMIT_HOME"] = str(home)
    completed = subprocess.run(
        ["pre-commit", "try-repo", str(REPO), hook_id, "--verbose"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    reason = _pre_commit_unavailable(completed.stdout + completed.stderr)
    if reason:
        pytest.skip(reason)
    return completed


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit cache for the module: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def test_pre_commit_runs_the_hook_from_this_repository_on_the_staged_sop(
    sop_repo, tools, pre_commit_home
):
    edit(
        sop_repo / "docs/en/till-closing.md",
        "Keep the closing sheet in the till folder for one year.",
        LONG_RECORDS,
    )
    git(sop_repo, "add", "docs/en/till-closing.md")

    run = try_repo(sop_repo, "sop-lint", tools, pre_commit_home)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert re.search(r"^sop-lint\.+Failed", output, re.M), output
    assert text_findings(output) == [("docs/en/till-closing.md", 47, "B001")], output
    assert "cash-deposit.md" not in output  # not staged: its known warnings stay out


def test_the_pre_commit_fix_hook_rewrites_a_wordy_phrase_once(sop_repo, tools, pre_commit_home):
    """Needs `check --fix` (part D). pre-commit fails a hook that changed files, so the
    writer sees the fix and stages it; run again, it has nothing left to change."""
    till = sop_repo / "docs/en/till-closing.md"
    edit(till, *CHANGED_STEP)
    git(sop_repo, "add", "docs/en/till-closing.md")

    first = try_repo(sop_repo, "sop-lint-fix", tools, pre_commit_home)
    assert "files were modified by this hook" in first.stdout, first.stdout + first.stderr
    assert "2. To check the count, print the end-of-day report." in till.read_text(encoding="utf-8")

    git(sop_repo, "add", "docs/en/till-closing.md")
    second = try_repo(sop_repo, "sop-lint-fix", tools, pre_commit_home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert (
        git(sop_repo, "status", "--porcelain", "--untracked-files=no")
        == "M  docs/en/till-closing.md"
    )


# -- the GitHub Action ------------------------------------------------------------------

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _evaluate(expression: str, inputs: dict[str, str], github: dict[str, str]) -> str:
    """The value of a simple expression: ``inputs.NAME`` or ``github.PATH``."""
    if expression.startswith("inputs."):
        name = expression.removeprefix("inputs.")
        return inputs.get(name, ACTION["inputs"][name].get("default", ""))
    if expression.startswith("github."):
        return github.get(expression.removeprefix("github."), "")
    raise AssertionError(
        f"action.yml: an expression the local runner cannot evaluate: {expression}"
    )


def run_action(
    repo: Path, tools: dict, inputs: dict | None = None, event: str = "push", base: str = ""
) -> dict:
    """Run the action's ``run:`` steps in ``repo`` as GitHub runs a composite action's bash
    steps; the ``uses:`` steps (setup-python, upload-sarif) are GitHub's own and skipped."""
    inputs = inputs or {}
    github = {
        "action_path": str(REPO),
        "event_name": event,
        "event.pull_request.base.sha": base if event == "pull_request" else "",
    }
    outputs: dict[str, str] = {}
    log = ""
    code = 0
    for number, step in enumerate(ACTION["runs"]["steps"]):
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        # Untrusted values reach the shell as variables, never inside the script's text.
        assert not EXPRESSION.search(step["run"]), step["name"]
        output_file = repo.parent / f"github-output-{number}"
        output_file.write_text("")
        env = {
            **tools["env"],
            **{
                k: EXPRESSION.sub(lambda m: _evaluate(m.group(1), inputs, github), str(v))
                for k, v in step.get("env", {}).items()
            },
            "GITHUB_OUTPUT": str(output_file),
        }
        script = repo.parent / f"step-{number}.sh"
        script.write_text(step["run"])
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        log += completed.stdout + completed.stderr
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            outputs[f"{step.get('id', number)}.{key}"] = value
        code = completed.returncode
        if code != 0:
            break
    pip_log = tools["pip_log"]
    return {
        "code": code,
        "log": log,
        "outputs": outputs,
        "pip": pip_log.read_text().split("\n")[:-1] if pip_log.exists() else [],
    }


def test_the_action_has_the_inputs_and_steps_the_docs_describe():
    assert set(ACTION["inputs"]) >= {
        "paths",
        "version",
        "diff-base",
        "baseline",
        "fail-on",
        "format",
        "sarif",
        "args",
    }
    assert ACTION["runs"]["using"] == "composite"
    used = [step["uses"].split("@")[0] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert used == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    upload = ACTION["runs"]["steps"][-1]
    assert "always()" in upload["if"]  # the SARIF is uploaded also when the check fails
    for value in (
        str(step.get("env", {})) + str(step.get("with", {})) for step in ACTION["runs"]["steps"]
    ):
        for expression in EXPRESSION.findall(value):
            assert re.fullmatch(r"(inputs|github|steps)\.[\w.-]+", expression), expression


def test_the_action_annotates_every_finding_on_a_push_and_passes_on_warnings(sop_repo, tools):
    result = run_action(sop_repo, tools)
    assert result["code"] == 0, result["log"]
    assert result["pip"] == ["install", "--disable-pip-version-check", "--quiet", str(REPO)]
    assert annotations(result["log"]) == [
        ("docs/en/cash-deposit.md", line, rule) for line, rule in KNOWN_WARNINGS
    ]
    assert result["outputs"]["check.exit-code"] == "0"


def test_the_action_fails_the_step_by_fail_on(sop_repo, tools):
    result = run_action(sop_repo, tools, {"fail-on": "warning"})
    assert result["code"] == 1
    assert len(annotations(result["log"])) == 3
    assert result["outputs"]["check.exit-code"] == "1"

    # Without the input, the config's fail-on decides.
    edit(sop_repo / "pyproject.toml", 'language = "en"', 'language = "en"\nfail-on = "warning"')
    assert run_action(sop_repo, tools)["code"] == 1

    wrong = run_action(sop_repo, tools, {"fail-on": "sometimes"})
    assert wrong["code"] == 2
    assert "sometimes" in wrong["log"] and "Traceback" not in wrong["log"]


def test_the_action_writes_sarif_with_every_finding_for_code_scanning(sop_repo, tools):
    result = run_action(sop_repo, tools, {"sarif": "true", "fail-on": "warning"})
    assert result["code"] == 1
    assert result["outputs"]["check.sarif-file"] == "sop-lint.sarif"
    sarif = json.loads((sop_repo / "sop-lint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    rules = [r["ruleId"] for r in sarif["runs"][0]["results"]]
    assert rules == [rule for _, rule in KNOWN_WARNINGS]
    assert len(annotations(result["log"])) == 3


def test_the_action_installs_the_version_asked_for(sop_repo, tools):
    assert run_action(sop_repo, tools, {"version": "0.2.0"})["pip"][-1] == "sop-lint==0.2.0"
    git_url = "sop-lint @ git+https://github.com/your-org/sop-lint@v0.2.0"
    assert run_action(sop_repo, tools, {"version": git_url})["pip"][-1] == git_url


def test_the_action_checks_the_paths_given_with_the_args_given(sop_repo, tools):
    result = run_action(
        sop_repo, tools, {"paths": "docs/sv docs/en/cash-deposit.md", "args": "--select W001,P002"}
    )
    assert result["code"] == 0, result["log"]
    assert annotations(result["log"]) == [
        ("docs/en/cash-deposit.md", 33, "W001"),
        ("docs/en/cash-deposit.md", 39, "P002"),
    ]


def test_on_a_pull_request_the_action_annotates_only_the_changed_line(sop_repo, tools):
    """Needs `check --diff-base` (part B): the base defaults to the pull request's base."""
    base = open_pull_request(sop_repo)
    result = run_action(sop_repo, tools, {"fail-on": "warning"}, event="pull_request", base=base)
    assert annotations(result["log"]) == [("docs/en/till-closing.md", 34, "W001")], result["log"]
    assert result["code"] == 1

    everything = run_action(sop_repo, tools, {"diff-base": "none"}, event="pull_request", base=base)
    assert len(annotations(everything["log"])) == 4


def test_with_a_baseline_the_action_reports_only_new_findings(sop_repo, tools):
    """Needs `sop-lint baseline` and `check --baseline` (part B)."""
    subprocess.run(
        ["sop-lint", "baseline"], cwd=sop_repo, env=tools["env"], check=True, capture_output=True
    )
    assert (sop_repo / ".sop-lint-baseline.json").is_file()
    edit(sop_repo / "docs/en/till-closing.md", *CHANGED_STEP)
    result = run_action(
        sop_repo, tools, {"baseline": ".sop-lint-baseline.json", "fail-on": "warning"}
    )
    assert annotations(result["log"]) == [("docs/en/till-closing.md", 34, "W001")], result["log"]
    assert result["code"] == 1


# -- the GitLab CI template -------------------------------------------------------------

GITLAB = yaml.safe_load(
    (REPO / "integrations/gitlab/sop-lint.gitlab-ci.yml").read_text(encoding="utf-8")
)


def run_gitlab_job(repo: Path, tools: dict, variables: dict | None = None) -> dict:
    """The job's before_script and script as one bash script, as a GitLab runner runs them
    (``set -eo pipefail``), with the template's variables and GitLab's own."""
    job = GITLAB["sop-lint"]
    env = {
        **tools["env"],
        **{k: str(v) for k, v in GITLAB["variables"].items()},
        "CI_PIPELINE_SOURCE": "push",
        "CI_COMMIT_BRANCH": "main",
        "CI_DEFAULT_BRANCH": "main",
        **(variables or {}),
    }
    script = repo.parent / "gitlab-job.sh"
    script.write_text(
        "set -eo pipefail\n" + "\n".join([*job["before_script"], *job["script"]]) + "\n"
    )
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", str(script)],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    report = repo / job["artifacts"]["reports"]["codequality"]
    return {
        "code": completed.returncode,
        "log": completed.stdout + completed.stderr,
        "codequality": json.loads(report.read_text(encoding="utf-8")) if report.exists() else None,
        "pip": tools["pip_log"].read_text().split("\n")[:-1],
    }


def test_the_gitlab_job_publishes_a_code_quality_report():
    job = GITLAB["sop-lint"]
    assert job["artifacts"]["when"] == "always"
    report = job["artifacts"]["reports"]["codequality"]
    assert any(f"--format gitlab --output {report}" in line for line in job["script"])
    assert "slim" not in job["image"]  # git is needed for --diff-base
    assert ".sop-lint-cache/" in job["cache"]["paths"]


def test_the_gitlab_job_on_the_default_branch_reports_every_finding(sop_repo, tools):
    result = run_gitlab_job(sop_repo, tools)
    assert result["code"] == 0, result["log"]
    assert result["pip"][-1] == "sop-lint"
    assert [
        (i["location"]["path"], i["location"]["lines"]["begin"]) for i in result["codequality"]
    ] == [("docs/en/cash-deposit.md", line) for line, _ in KNOWN_WARNINGS]
    assert text_findings(result["log"]) == [
        ("docs/en/cash-deposit.md", line, rule) for line, rule in KNOWN_WARNINGS
    ]

    failing = run_gitlab_job(sop_repo, tools, {"SOP_LINT_FAIL_ON": "warning"})
    assert failing["code"] == 1
    assert len(failing["codequality"]) == 3  # written before the check that fails the job


def test_the_gitlab_job_on_a_merge_request_fails_only_on_the_changed_line(sop_repo, tools):
    """Needs `check --diff-base` (part B). The Code Quality report keeps every finding:
    GitLab itself shows the merge request what it adds compared with the target branch."""
    base = open_pull_request(sop_repo)
    result = run_gitlab_job(
        sop_repo,
        tools,
        {
            "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_COMMIT_BRANCH": "",
            "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
            "SOP_LINT_FAIL_ON": "warning",
        },
    )
    assert text_findings(result["log"]) == [("docs/en/till-closing.md", 34, "W001")], result["log"]
    assert result["code"] == 1
    assert len(result["codequality"]) == 4
