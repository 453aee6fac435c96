#!/usr/bin/env python3
"""Checks idv-bff's OpenAPI document, and a running server against it.

    check_openapi.py validate openapi.yaml
    check_openapi.py fuzz openapi.yaml BASE_URL [--max-examples N] [--exclude-tag TAG ...]
                                                [--exclude-path-regex REGEX] [--skip-probe-method METHOD ...]
                                                [--time-limit SECONDS]

`validate` checks the document with openapi-spec-validator (OpenAPI 3.1), then that every `example`/`examples`
in it conforms to the schema it illustrates. It exits 1 with the errors on standard error.

`fuzz` runs Schemathesis (4.x, through its command line) against the server at BASE_URL with the checks that
mean "the server answers only what the document says": not_a_server_error (no 5xx), status_code_conformance (no
undocumented status), content_type_conformance, response_headers_conformance (documented required fields
present, every documented field well-formed) and response_schema_conformance. It runs the examples, coverage
and fuzzing phases (positive and negative data), deterministically (Hypothesis derandomised, one worker, no
example database), with at most --max-examples (default 30) generated cases per operation, and fails if the
whole run takes longer than --time-limit (default 55) seconds. It prints one line of JSON on standard output
(the summary) and exits 1 on any failure, with the failures on standard error; 2 for a usage error or an
unreachable server.

The coverage phase also sends each path the methods it does not document, expecting 405 (--skip-probe-method
leaves one out). It never sends `QUERY`: libevent 2.1 does not know that method and answers 501 itself, before
the application (RFC 9110 allows it; the document's description says so), which not_a_server_error would count
as a server error. Its `TRACE` and `HEAD` probes carry a body, which the server must refuse (`400 bad_request`,
`Connection: close`) rather than leave to be read as the next request.
The coverage phase's requests with a valid Idempotency-Key get a suffix derived from their body (see HOOKS), so
that its negative bodies are answered for what they are rather than all as `422 idempotency_key_reused`.

How to start the server for `fuzz`
----------------------------------
Demo mode, with one allowed cross-origin origin (so that preflights are accepted or refused, not only refused)
and a rate limit too generous to be reached in one run (so that the `RateLimit` and `RateLimit-Policy` fields are
on the answers and checked too):

    CORS_ALLOWED_ORIGINS=https://app.example.com RATE_LIMIT_PER_MINUTE=600000 RATE_LIMIT_BURST=100000 \
        HTTP_PORT=18080 idv-bff --demo

(`RATE_LIMIT_PER_MINUTE=0` lifts the limit instead, and without `CORS_ALLOWED_ORIGINS` the server is same-origin
only; the run passes either way. With demo mode's default limit, 30 a minute in bursts of 10, most mints would be
`429 rate_limited`, which is documented but tests little.) Then:

    python3 Tests/Contract/check_openapi.py fuzz openapi.yaml http://127.0.0.1:18080

A server without the `/openapi.yaml`, `/client/*` and demo-page routes (builds before they were added) is
checked with `--exclude-tag contract --exclude-tag client --exclude-tag demo`.

Requires: python3 -m pip install --break-system-packages schemathesis openapi-spec-validator
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any, Iterator

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]

# The methods the coverage phase sends to paths that do not document them: Schemathesis' default set without QUERY
# (see the module docstring).
PROBE_METHODS = ["get", "put", "post", "delete", "options", "patch", "trace"]

PHASES = "examples,coverage,fuzzing"

# A Schemathesis hook module (SCHEMATHESIS_HOOKS). The coverage phase sends every variation of an operation with
# the same header values, so each of its negative bodies would reuse one Idempotency-Key and be answered
# `422 idempotency_key_reused` (documented, but it hides how the body itself is answered). In that phase only, a
# valid key gets a suffix derived from the method, path, content type and body: identical requests still share a
# key (replays), different ones no longer collide. Keys generated invalid are left alone, and the fuzzing phase
# keeps its keys as generated, so 422 is still exercised.
HOOKS = r'''
import hashlib
import json
import re
from collections.abc import MutableMapping

import schemathesis

_BARE = re.compile(r"[!#-~]{1,230}")


def _stable(value):
    """What JSON cannot hold: bytes by their content, anything else (no body at all) by type, never by address."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return f"<{type(value).__name__}>"


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = getattr(case, "_meta", None)
    phase = getattr(getattr(meta, "phase", None), "name", None)
    if getattr(phase, "value", phase) != "coverage" or not isinstance(case.headers, MutableMapping):
        return
    for name, value in list(case.headers.items()):
        if name.lower() != "idempotency-key" or not isinstance(value, str) or not _BARE.fullmatch(value):
            continue
        body = json.dumps(case.body, sort_keys=True, default=_stable)
        digest = hashlib.sha256(
            f"{case.method} {case.path} {case.media_type} {body}".encode("utf-8", "surrogatepass")
        ).hexdigest()
        case.headers[name] = f"{value}-{digest[:16]}"
'''


def load_document(path: str) -> dict[str, Any]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a YAML mapping")
    return document


# MARK: validate


def pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{pointer_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follows a local `$ref` (an Example Object may be one)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = document
        for token in node["$ref"][2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def example_errors(document: dict[str, Any]) -> list[str]:
    """Every `example`/`examples` value that does not conform to the schema it illustrates."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    base = "urn:idv-bff:openapi"
    registry = Registry().with_resource(base, DRAFT202012.create_resource(document))

    def validate(schema_pointer: str, value: Any, where: str) -> list[str]:
        validator = Draft202012Validator({"$ref": f"{base}#{schema_pointer}"}, registry=registry)
        return [
            f"{where}: {error.message} (at {'/'.join(map(str, error.absolute_path)) or 'the root'})"
            for error in validator.iter_errors(value)
        ]

    errors: list[str] = []
    for pointer, node in walk(document):
        if not isinstance(node, dict):
            continue
        in_schema = "/schema" in pointer or pointer.startswith("/components/schemas")
        # Media Type, Parameter and Header Objects: `example`, or `examples` as a map of Example Objects.
        if "schema" in node and isinstance(node["schema"], dict) and not in_schema:
            schema_pointer = f"{pointer}/schema"
            if "example" in node:
                errors += validate(schema_pointer, node["example"], f"{pointer}/example")
            for name, example in (node.get("examples") or {}).items():
                example = resolve(document, example)
                if isinstance(example, dict) and "value" in example:
                    errors += validate(schema_pointer, example["value"], f"{pointer}/examples/{name}")
        # Schema Objects: JSON Schema's `examples` array.
        elif in_schema and isinstance(node.get("examples"), list) and not pointer.endswith("/properties"):
            for index, value in enumerate(node["examples"]):
                errors += validate(pointer, value, f"{pointer}/examples/{index}")
    return errors


def command_validate(arguments: argparse.Namespace) -> int:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    started = time.monotonic()
    try:
        document = load_document(arguments.document)
    except Exception as error:  # unreadable file, YAML syntax error
        print(f"{arguments.document}: {error}", file=sys.stderr)
        print(json.dumps({"command": "validate", "document": arguments.document, "valid": False, "errors": 1}))
        return 1
    errors: list[str] = []
    version = str(document.get("openapi", ""))
    if not re.fullmatch(r"3\.1\.\d+", version):
        errors.append(f"openapi: {version!r} is not an OpenAPI 3.1 version")
    for error in OpenAPIV31SpecValidator(document).iter_errors():
        location = "/".join(map(str, error.absolute_path)) or "the root"
        # The message proper; jsonschema appends the schema and the whole offending instance after a blank line.
        message = str(error.message).split("\n\n")[0]
        errors.append(f"{location}: {message[:1000]}")
    if not errors:
        # Examples are checked only in a valid document, whose references are known to resolve.
        errors += example_errors(document)
    for error in errors:
        print(error, file=sys.stderr)
    operations = sum(
        1
        for item in (document.get("paths") or {}).values()
        for method in (item or {})
        if method in {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    )
    print(json.dumps({
        "command": "validate",
        "document": arguments.document,
        "openapi": version,
        "valid": not errors,
        "operations": operations,
        "errors": len(errors),
        "duration_s": round(time.monotonic() - started, 2),
    }))
    return 0 if not errors else 1


# MARK: fuzz


def schemathesis_command() -> list[str]:
    """The Schemathesis CLI of this interpreter, else one on PATH."""
    try:
        import schemathesis  # noqa: F401

        return [sys.executable, "-m", "schemathesis.cli"]
    except ImportError:
        found = shutil.which("schemathesis") or shutil.which("st")
        if found is None:
            raise SystemExit("schemathesis is not installed: python3 -m pip install --break-system-packages schemathesis")
        return [found]


def server_answers(base_url: str) -> str | None:
    """None when the server answers `GET /healthz` at all; otherwise why not."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/healthz", timeout=5) as response:
            response.read()
        return None
    except urllib.error.HTTPError:
        return None  # it answered
    except Exception as error:
        return str(error)


def command_fuzz(arguments: argparse.Namespace) -> int:
    skipped = {method.lower() for method in arguments.skip_probe_method}
    probe_methods = [method for method in PROBE_METHODS if method not in skipped]
    summary: dict[str, Any] = {
        "command": "fuzz",
        "document": arguments.document,
        "base_url": arguments.base_url,
        "max_examples": arguments.max_examples,
        "excluded_tags": arguments.exclude_tag,
        "excluded_path_regex": arguments.exclude_path_regex,
        "probe_methods": probe_methods,
    }
    problem = server_answers(arguments.base_url)
    if problem is not None:
        print(f"the server at {arguments.base_url} does not answer: {problem}", file=sys.stderr)
        print(json.dumps({**summary, "passed": False, "error": "server unreachable"}))
        return 2

    with tempfile.TemporaryDirectory(prefix="check-openapi-") as work:
        config = os.path.join(work, "schemathesis.toml")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("[phases.coverage]\n")
            handle.write("unexpected-methods = [" + ", ".join(f'"{m}"' for m in probe_methods) + "]\n")
        hooks = os.path.join(work, "idempotency_hooks.py")
        with open(hooks, "w", encoding="utf-8") as handle:
            handle.write(HOOKS)
        report = os.path.join(work, "report.json")
        command = schemathesis_command() + [
            "--config-file", config,
            "--no-color",
            "run", os.path.abspath(arguments.document),
            "--url", arguments.base_url,
            "--checks", ",".join(CHECKS),
            "--phases", PHASES,
            "--max-examples", str(arguments.max_examples),
            "--generation-deterministic",
            "--workers", "1",
            "--request-timeout", "10",
            "--report", "json",
            "--report-json-path", report,
            "--report-dir", work,
        ]
        for tag in arguments.exclude_tag:
            command += ["--exclude-tag", tag]
        if arguments.exclude_path_regex:
            command += ["--exclude-path-regex", arguments.exclude_path_regex]

        started = time.monotonic()
        try:
            # Run in the scratch directory, so that nothing (a .hypothesis directory, reports) lands in the repo.
            completed = subprocess.run(
                command, cwd=work, capture_output=True, text=True, timeout=arguments.time_limit,
                env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": hooks},
            )
        except subprocess.TimeoutExpired as expired:
            output = expired.stdout or ""
            if isinstance(output, bytes):
                output = output.decode(errors="replace")
            print(output, file=sys.stderr)
            print(f"schemathesis did not finish within {arguments.time_limit} s", file=sys.stderr)
            print(json.dumps({**summary, "passed": False, "error": "time limit exceeded",
                              "duration_s": round(time.monotonic() - started, 2)}))
            return 1
        duration = round(time.monotonic() - started, 2)

        try:
            with open(report, encoding="utf-8") as handle:
                result = json.load(handle)
        except (OSError, ValueError):
            result = None

    if result is None:
        # Schemathesis stopped before testing (a usage error, a schema it cannot load).
        print(completed.stdout, file=sys.stderr)
        print(completed.stderr, file=sys.stderr)
        print(json.dumps({**summary, "passed": False, "error": f"schemathesis exited {completed.returncode} without a report",
                          "duration_s": duration}))
        return 1

    failures = result.get("failures") or []
    errors = result.get("errors") or []
    operations = result.get("operations") or {}
    cases = result.get("test_cases") or {}
    passed = completed.returncode == 0 and not failures and not errors and operations.get("tested", 0) > 0
    summary.update({
        "passed": passed,
        "schemathesis": result.get("schemathesis_version"),
        "checks": CHECKS,
        "phases": {name: phase.get("status") for name, phase in (result.get("phases") or {}).items()},
        "operations_selected": operations.get("selected"),
        "operations_tested": operations.get("tested"),
        "test_cases": cases.get("generated"),
        "failures": sum(int(failure.get("count", 1)) for failure in failures),
        "errors": len(errors),
        "exit_code": completed.returncode,
        "duration_s": duration,
    })
    if not passed:
        # Schemathesis' own account: every failure with its response and a curl line that reproduces it.
        print(completed.stdout, file=sys.stderr)
        if completed.stderr:
            print(completed.stderr, file=sys.stderr)
        for failure in failures:
            print(f"FAILURE {failure.get('code')} {failure.get('title')}: {', '.join(failure.get('operations') or [])}",
                  file=sys.stderr)
        for error in errors:
            print(f"ERROR {json.dumps(error)}", file=sys.stderr)
    print(json.dumps(summary))
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="validate the document (OpenAPI 3.1) and its examples")
    validate.add_argument("document")
    validate.set_defaults(run=command_validate)

    fuzz = commands.add_parser("fuzz", help="run Schemathesis against a running server")
    fuzz.add_argument("document")
    fuzz.add_argument("base_url")
    fuzz.add_argument("--max-examples", type=int, default=30, help="generated cases per operation (default 30)")
    fuzz.add_argument("--exclude-tag", action="append", default=[], help="skip the operations with this tag")
    fuzz.add_argument("--exclude-path-regex", help="skip the operations whose path matches")
    fuzz.add_argument("--skip-probe-method", action="append", default=[], metavar="METHOD",
                      help="do not send this undocumented method in the coverage phase's 405 probes")
    fuzz.add_argument("--time-limit", type=float, default=55.0, help="fail a run that takes longer (default 55 s)")
    fuzz.set_defaults(run=command_fuzz)

    arguments = parser.parse_args()
    if getattr(arguments, "max_examples", 1) < 1:
        parser.error("--max-examples must be at least 1")
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
