#!/usr/bin/env python3
"""Generates benchmark inputs: N workflow files and a JSON Lines file of events.

Deterministic (fixed seed). Workflows look like a large support org's: each
keys on one product area, form or tag, and most add a second condition on
priority, plan, channel or subject words; about 1 in 100 has no equality
to index on and must be evaluated for every event of its type.

    generate.py workflows DIR COUNT [rare]
    generate.py events FILE COUNT

With `rare`, every workflow also requires a custom field no event has, so
none ever fires: the run then measures finding and rejecting candidates
alone, which is what must stay flat as the number of workflows grows.
"""
import json
import os
import random
import sys

AREAS = [f"area-{i:03d}" for i in range(400)]
FORMS = [f"form-{i:04d}" for i in range(2000)]
TAGS = [f"tag-{i:03d}" for i in range(300)]
PLANS = ["free", "pro", "business", "enterprise"]
CHANNELS = ["email", "web", "chat", "phone", "api"]
PRIORITIES = ["low", "normal", "high", "urgent"]
STATUSES = ["new", "open", "pending", "hold", "solved"]
WORDS = ["export", "invoice", "refund", "login", "password", "sso", "slow", "error", "crash", "csv",
         "dashboard", "billing", "upgrade", "cancel", "api", "token", "report", "chart", "email", "import"]
QUEUES = ["tier2", "billing-tier2", "senior", "on-call", "product", "security"]


def workflows(directory, count, rare=False):
    rng = random.Random(1042)
    os.makedirs(directory, exist_ok=True)
    for old in os.listdir(directory):
        os.remove(os.path.join(directory, old))
    for i in range(count):
        kind = i % 100
        if kind == 99:
            condition = f'lower(ticket.subject) contains "{rng.choice(WORDS)}" and ticket.priority >= "high"'
        elif kind % 3 == 0:
            condition = f'ticket.product_area == "{rng.choice(AREAS)}" and ticket.priority in ["high", "urgent"]'
        elif kind % 3 == 1:
            condition = f'ticket.custom.form == "{rng.choice(FORMS)}" and ticket.requester.plan == "{rng.choice(PLANS)}"'
        else:
            condition = f'ticket.tags contains "{rng.choice(TAGS)}" and lower(ticket.subject) contains "{rng.choice(WORDS)}"'
        if rare:
            condition += ' and ticket.custom.never == "set"'
        on = rng.choice(['ticket.created', '[ticket.created, ticket.updated]', '[ticket.created, ticket.commented]'])
        queue = rng.choice(QUEUES)
        text = f"""workflow: generated-{i:05d}
description: Generated workflow {i} for the benchmark.
on: {on}
if: {condition}
steps:
  - tag: routed-{i:05d}
  - escalate:
      to: {queue}
      reason: "Routed by generated-{i:05d} for {{{{ ticket.requester.email }}}}"
"""
        with open(os.path.join(directory, f"generated-{i:05d}.yaml"), "w") as handle:
            handle.write(text)


def events(path, count):
    rng = random.Random(7)
    tickets = {}
    with open(path, "w") as handle:
        for i in range(count):
            if tickets and rng.random() < 0.45:
                ticket_id = rng.choice(list(tickets.keys())[-500:])
                ticket = dict(tickets[ticket_id])
                kind = rng.choice(["ticket.updated", "ticket.commented", "ticket.solved"])
                if kind == "ticket.updated":
                    ticket["priority"] = rng.choice(PRIORITIES)
                    ticket["status"] = "open"
            else:
                ticket_id = f"T-{100000 + i}"
                kind = "ticket.created"
                words = rng.sample(WORDS, 3)
                ticket = {
                    "id": ticket_id,
                    "subject": f"{words[0].capitalize()} problem with {words[1]} and {words[2]}",
                    "description": f"Since this morning the {words[1]} fails every time I try to {words[0]}. " * 3,
                    "status": "new",
                    "priority": rng.choice(PRIORITIES),
                    "channel": rng.choice(CHANNELS),
                    "tags": rng.sample(TAGS, rng.randint(0, 4)),
                    "product_area": rng.choice(AREAS),
                    "requester": {"id": f"U-{rng.randint(1, 50000)}", "email": f"user{rng.randint(1, 50000)}@example.com",
                                  "name": "Sam Customer", "plan": rng.choice(PLANS)},
                    "assignee": None,
                    "group": None,
                    "custom": {"form": rng.choice(FORMS)},
                }
            tickets[ticket_id] = ticket
            if len(tickets) > 5000:
                tickets.pop(next(iter(tickets)))
            event = {
                "id": f"evt-{i:07d}",
                "type": kind,
                "occurred_at": f"2026-11-{1 + (i // 86400) % 28:02d}T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z",
                "source": "zendesk",
                "ticket": ticket,
            }
            if kind == "ticket.commented":
                event["comment"] = {"author_role": "end_user", "body": "Any update on this?", "public": True}
            handle.write(json.dumps(event, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    what, target, number = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if what == "workflows":
        workflows(target, number, rare=len(sys.argv) > 4 and sys.argv[4] == "rare")
    else:
        events(target, number)
