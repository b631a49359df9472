"""
Starts the local AWS emulator of the apply rehearsal: moto's ThreadedMotoServer
on a free loopback port, with the compatibility patches of moto_patches.py and
the rehearsal profile's AMI ids registered in every region's image catalogue.

  python3 scripts/rehearsal/emulator.py [--ami ID ...] [--no-resend-replay]

Prints one line `READY http://127.0.0.1:PORT` when it serves, then runs until
SIGTERM/SIGINT (npm run rehearse stops it by PID). Exit 3 with a clear message
when moto or boto3 is missing. Loopback only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import tempfile
import threading
from typing import Any

EXPECTED_MOTO = "5.2.1"


def require_modules() -> None:
    missing = []
    for module in ("moto", "boto3", "flask", "werkzeug"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        sys.stderr.write(
            f"emulator: Python modules missing: {', '.join(missing)} (python {sys.executable}). "
            f"The rehearsal needs moto[server]=={EXPECTED_MOTO} with boto3; install with: pip install 'moto[server]=={EXPECTED_MOTO}'\n"
        )
        sys.exit(3)
    import moto

    if moto.__version__ != EXPECTED_MOTO:
        sys.stderr.write(f"emulator: warning: moto {moto.__version__} found, the compatibility patches were written for {EXPECTED_MOTO}; run the patch tests\n")


def ami_catalogue(ids: list[str]) -> str:
    """A MOTO_AMIS_PATH file: the rehearsal profile's AMI ids, as Debian 12 images. No creation_date: moto parses it in place in its shared list, which breaks the second region."""
    images = [
        {
            "ami_id": ami_id,
            "name": f"debian-12-amd64-rehearsal-{index}",
            "description": "Debian 12 stand-in image of the apply rehearsal",
            "owner_id": "136693071363",
            "public": True,
            "virtualization_type": "hvm",
            "architecture": "x86_64",
            "state": "available",
            "platform": None,
            "image_type": "machine",
            "hypervisor": "xen",
            "root_device_name": "/dev/xvda",
            "root_device_type": "ebs",
            "sriov": "simple",
        }
        for index, ami_id in enumerate(ids)
    ]
    handle, path = tempfile.mkstemp(prefix="rehearsal-amis-", suffix=".json")
    with os.fdopen(handle, "w") as f:
        json.dump(images, f)
    return path


def request_digest(response: object) -> str:
    """
    Hash of what a call asks for: method, path, query and body (a form body as its sorted parameters). The SDK signs each
    delivery anew (date, signature, invocation headers), but a repeat of the same call hashes the same.
    """
    parsed = getattr(response, "parsed_url", None)
    body = getattr(response, "raw_body", None) or getattr(response, "body", None) or ""
    query = getattr(response, "querystring", None) or {}
    if not body and "Action" in query:
        # A form-encoded call (the Query protocol: IAM, EC2, RDS…): moto has read the body into its parameters.
        body = "&".join(f"{k}={v}" for k, v in sorted(query.items()))
    text = f"{getattr(response, 'method', '')} {getattr(parsed, 'path', '')}?{getattr(parsed, 'query', '')}\n"
    data = text.encode() + (body if isinstance(body, bytes) else str(body).encode())
    return hashlib.sha256(data).hexdigest()[:12]


# How many successful answers are kept for SDK resends: the SDK resends within seconds, a stage makes thousands of calls.
KEPT_ANSWERS = 1024


def log_actions(replay_resends: bool = True) -> None:
    """
    One stderr line per API call (time, service, action, region, SDK invocation id, attempt=N, HTTP status, hash
    of the request body): shows where a rehearsal spends its time, and for a call that reached the emulator twice
    (same action and body) whether the SDK resent it (same invocation, attempt 2) or the provider called again
    (a new invocation). A response the client never read is logged as DROPPED. scripts/rehearsal/resent-calls.ts
    reads these lines.

    With replay_resends, an SDK resend (same invocation, same body, attempt 2 or later) of a call this emulator has
    already answered with success gets that answer again instead of running twice, and is logged as REPLAYED. The SDK
    resends only an answer it did not get; the first delivery succeeded, so what was lost is the loopback answer on a
    loaded test machine, not anything AWS or the stack did. Without the replay, a named create (CreateWebACL) fails
    its resend as a duplicate and leaves an object outside the state that no second apply can get past.
    """
    import time
    from collections import OrderedDict

    from moto.core.responses import BaseResponse
    from werkzeug.serving import WSGIRequestHandler

    original = BaseResponse.call_action
    answers: OrderedDict[tuple[str, str], tuple[Any, Any, Any]] = OrderedDict()
    answers_lock = threading.Lock()

    def call_line(kind: str, call: Any, started: str, action: str, invocation: str, attempt: str, status: Any, digest: str) -> None:
        """One line per call (resent-calls.ts parses it): ACTION when moto ran it, REPLAYED when its first answer was sent again."""
        sys.stderr.write(f"{kind} {started} {getattr(call, 'service_name', '?')} {action} {getattr(call, 'region', '?')} {invocation} {attempt} {status} {digest}\n")

    def answered_before(invocation: str, attempt: str, digest: str) -> tuple[Any, Any, Any] | None:
        if not replay_resends or "-" in (invocation, digest) or attempt in ("-", "attempt=1"):
            return None
        with answers_lock:
            return answers.get((invocation, digest))

    def keep_answer(invocation: str, digest: str, result: Any) -> None:
        if not replay_resends or "-" in (invocation, digest) or not isinstance(result, tuple) or not 200 <= int(result[0]) < 300:
            return
        status, headers, body = result
        with answers_lock:
            answers[(invocation, digest)] = (status, dict(headers), body)
            while len(answers) > KEPT_ANSWERS:
                answers.popitem(last=False)

    def call_action(self):  # type: ignore[no-untyped-def]
        started = time.strftime("%H:%M:%S")
        try:
            action = self._get_action()
            headers = getattr(self, "headers", None) or {}
            invocation = headers.get("amz-sdk-invocation-id", "-")
            attempt = (headers.get("amz-sdk-request", "") or "-").split(";")[0]
        except Exception:  # noqa: BLE001 - logging must never break a request
            action, invocation, attempt = "?", "-", "-"
        try:
            digest = request_digest(self)
        except Exception:  # noqa: BLE001 - logging must never break a request
            digest = "-"
        first_answer = answered_before(invocation, attempt, digest)
        if first_answer is not None:
            status, headers, body = first_answer
            call_line("REPLAYED", self, started, action, invocation, attempt, status, digest)
            return status, dict(headers), body
        status = "500"
        try:
            result = original(self)
            status = str(result[0]) if isinstance(result, tuple) else "200"
            keep_answer(invocation, digest, result)
            return result
        finally:
            # Written when the call is answered (time = when it arrived): the status tells what the client was sent.
            call_line("ACTION", self, started, action, invocation, attempt, status, digest)

    BaseResponse.call_action = call_action  # type: ignore[method-assign]

    dropped = WSGIRequestHandler.connection_dropped

    def connection_dropped(self, error, environ=None):  # type: ignore[no-untyped-def]
        sys.stderr.write(f"DROPPED {time.strftime('%H:%M:%S')} {type(error).__name__}: {error}\n")
        return dropped(self, error, environ)

    WSGIRequestHandler.connection_dropped = connection_dropped  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ami", action="append", default=[], help="AMI id to register in every region (repeatable)")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument("--without", action="append", default=os.environ.get("REHEARSAL_WITHOUT_PATCHES", "").split(",") if os.environ.get("REHEARSAL_WITHOUT_PATCHES") else [], help="leave a patch out, to see the gap it bridges (repeatable; env REHEARSAL_WITHOUT_PATCHES=a,b)")
    parser.add_argument("--test-drift", action="append", default=[], help="(tests only) apply a deliberate departure from AWS from moto_patches.test_drifts()")
    parser.add_argument("--no-resend-replay", action="store_true", help="(tests only) run an SDK resend of a call already answered with success again, as AWS would, instead of answering it with the first answer")
    parser.add_argument("--describe", action="store_true", help="print the patches as JSON and exit")
    args = parser.parse_args()
    require_modules()
    amis_path = None
    if args.ami:
        # Read when moto's EC2 module is first imported: set before any moto import below.
        amis_path = ami_catalogue(args.ami)
        os.environ["MOTO_AMIS_PATH"] = amis_path
    # AWS managed policies exist in every account (e.g. AmazonRDSEnhancedMonitoringRole, attached by the database module).
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import moto_patches

    if args.describe:
        print(moto_patches.describe())
        return
    patches = moto_patches.all_patches()
    unknown = set(args.without) - {p.name for p in patches}
    if unknown:
        sys.stderr.write(f"emulator: unknown patch {', '.join(sorted(unknown))}; patches: {', '.join(p.name for p in patches)}\n")
        sys.exit(2)
    for patch in patches:
        if patch.name not in args.without:
            patch.apply()
    drifts = {d.name: d for d in moto_patches.test_drifts()}
    for name in args.test_drift:
        if name not in drifts:
            sys.stderr.write(f"emulator: unknown test drift {name}; drifts: {', '.join(drifts)}\n")
            sys.exit(2)
        drifts[name].apply()

    log_actions(replay_resends=not args.no_resend_replay)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"READY http://{host}:{port}", flush=True)
    stop.wait()
    server.stop()
    if amis_path:
        os.unlink(amis_path)


if __name__ == "__main__":
    main()
