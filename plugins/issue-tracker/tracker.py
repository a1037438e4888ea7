#!/usr/bin/env python3
"""issue-tracker: a Ticketflow plugin that files issues through an HTTP API.

POST {ISSUE_TRACKER_URL}/issues with a JSON body and a bearer token; the
call's idempotency key goes in the `Idempotency-Key` header and in the
issue's `external_id`, so a call sent twice (a retry after a lost answer)
files one issue. Protocol 1: JSON Lines on stdin/stdout. Standard library only.
"""
import json
import os
import sys
import threading
import urllib.error
import urllib.request

PROTOCOL = 1
ACTIONS = ["file_issue"]
write_lock = threading.Lock()


def reply(message):
    line = json.dumps(message, ensure_ascii=False) + "\n"
    with write_lock:
        sys.stdout.write(line)
        sys.stdout.flush()


def file_issue(params, request):
    base = os.environ.get("ISSUE_TRACKER_URL", "").rstrip("/")
    if not base:
        return {"error": {"message": "ISSUE_TRACKER_URL is not set in the engine's environment", "retryable": False}}
    issue = {
        "project": params["project"],
        "title": params["title"],
        "body": params.get("body", ""),
        "labels": params.get("labels", []),
        "priority": params.get("priority", "medium"),
        "external_id": request["idempotency_key"],
        "source": {"ticket_id": request["context"]["ticket_id"], "workflow": request["context"]["workflow"]},
    }
    http = urllib.request.Request(base + "/issues", data=json.dumps(issue, ensure_ascii=False).encode("utf-8"), method="POST")
    http.add_header("Content-Type", "application/json; charset=utf-8")
    http.add_header("Idempotency-Key", request["idempotency_key"])
    token = os.environ.get("ISSUE_TRACKER_TOKEN")
    if token:
        http.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(http, timeout=12) as response:
            answer = json.loads(response.read() or b"{}")
            return {"result": {"issue": answer.get("id"), "url": answer.get("url"), "status": response.status}}
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            return {"error": {"message": f"the tracker refused the token (HTTP {error.code})", "retryable": False}}
        retryable = error.code >= 500 or error.code == 429
        return {"error": {"message": f"the tracker answered HTTP {error.code}", "retryable": retryable}}
    except (urllib.error.URLError, OSError) as error:
        return {"error": {"message": f"cannot reach the tracker: {getattr(error, 'reason', error)}", "retryable": True}}


def handle(request):
    try:
        if request.get("action") == "file_issue":
            outcome = file_issue(request.get("params", {}), request)
        else:
            outcome = {"error": {"message": f"unknown action {request.get('action')!r}", "retryable": False}}
    except Exception as error:
        outcome = {"error": {"message": f"plugin error: {error}", "retryable": False}}
    outcome["id"] = request["id"]
    reply(outcome)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("type") == "handshake":
            reply({"id": request["id"], "result": {"protocol": PROTOCOL, "actions": ACTIONS}})
        else:
            threading.Thread(target=handle, args=(request,), daemon=True).start()


if __name__ == "__main__":
    main()
