#!/usr/bin/env python3
"""chat-notify: a Ticketflow plugin that posts messages as JSON to a webhook.

Speaks Ticketflow's plugin protocol 1: JSON Lines on stdin/stdout, one
request and one response per line, matched by "id". Requests are handled
on worker threads, so several can be in flight. Only the standard library.
"""
import json
import os
import sys
import threading
import urllib.error
import urllib.request

PROTOCOL = 1
ACTIONS = ["post"]
write_lock = threading.Lock()


def reply(message):
    line = json.dumps(message, ensure_ascii=False) + "\n"
    with write_lock:
        sys.stdout.write(line)
        sys.stdout.flush()


def post(params, request):
    url = os.environ.get("CHAT_WEBHOOK_URL")
    if not url:
        return {"error": {"message": "CHAT_WEBHOOK_URL is not set in the engine's environment", "retryable": False}}
    body = {
        "channel": params["channel"],
        "text": params["text"],
        "urgency": params.get("urgency", "normal"),
        "mentions": params.get("mentions", []),
        "ticket_id": request["context"]["ticket_id"],
    }
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    http = urllib.request.Request(url, data=data, method="POST")
    http.add_header("Content-Type", "application/json; charset=utf-8")
    # The receiver can drop a message it has already seen (a retry after a lost answer).
    http.add_header("Idempotency-Key", request["idempotency_key"])
    try:
        with urllib.request.urlopen(http, timeout=8) as response:
            return {"result": {"status": response.status}}
    except urllib.error.HTTPError as error:
        # Server trouble and rate limits pass; a refused message will be refused again.
        retryable = error.code >= 500 or error.code == 429
        return {"error": {"message": f"the webhook answered HTTP {error.code}", "retryable": retryable}}
    except (urllib.error.URLError, OSError) as error:
        return {"error": {"message": f"cannot reach the webhook: {getattr(error, 'reason', error)}", "retryable": True}}


def handle(request):
    try:
        if request.get("action") == "post":
            outcome = post(request.get("params", {}), request)
        else:
            outcome = {"error": {"message": f"unknown action {request.get('action')!r}", "retryable": False}}
    except Exception as error:  # a bug here must not end the plugin
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
    # End of input: the engine is shutting down.


if __name__ == "__main__":
    main()
