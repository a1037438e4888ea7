#!/usr/bin/env python3
"""Generates examples/events.jsonl and examples/bad-events.jsonl.

A week of help-desk events for Brightsheet, a fictional reporting and
analytics app: tickets are created, commented on, re-prioritised, solved,
sometimes reopened, and rated. Several problems recur (CSV exports failing,
the removed classic dashboard, password resets), a few billing tickets are
urgent, some requesters are on the enterprise plan, and some calls come in by
phone, so the example workflows in workflows/ have something to do.

Standard library only and deterministic: the same seed gives the same file,
byte for byte. Run from anywhere:

    python3 examples/generate_events.py

The first ticket event carries the whole ticket; later events carry the
fields the help desk changed (id, subject, status, priority, ...) but not
tags, group or assignee, which the engine's projection keeps from earlier
events and from the workflows' own effects.
"""

import json
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20261302  # picked for a good mix: urgent billing, outages, removed-feature questions
START = datetime(2026, 11, 16, 7, 0, tzinfo=timezone.utc)  # a Monday
DAYS = 4
TICKETS = 68

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Customers

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kemi", "Lars",
         "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sanjay", "Tove", "Uma", "Victor", "Wen", "Yara"]
LAST = ["Alves", "Brennan", "Castillo", "Dahl", "Eze", "Fischer", "Gupta", "Holm", "Ibarra", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Rahman", "Sato", "Torres", "Varga"]

# (organization, email domain, plan, account manager or None)
ORGS = [
    ("Halvorsen Logistics", "halvorsen-logistics.example", "enterprise", "maria.lopez@brightsheet.example"),
    ("Quillon Bank", "quillon-bank.example", "enterprise", "sven.aker@brightsheet.example"),
    ("Marbleworks Health", "marbleworks.example", "enterprise", None),
    ("Tessellate Media", "tessellate.example", "enterprise", "maria.lopez@brightsheet.example"),
    ("Ardent Freight", "ardent-freight.example", "business", None),
    ("Pinecone Studio", "pinecone.example", "business", None),
    ("Lumen Labs", "lumen-labs.example", "pro", None),
    ("Kestrel Coffee", "kestrel.example", "pro", None),
    ("Fieldnote", "fieldnote.example", "pro", None),
    ("Tidewell", "tidewell.example", "pro", None),
    ("Orbit Analytics", "orbit-analytics.example", "business", None),
    ("Brookside Schools", "brookside.example", "business", None),
    ("Crestline Sports", "crestline.example", "pro", None),
    ("Alder & Sons", "alder.example", "starter", None),
    ("Willow Bakery", "willow.example", "starter", None),
    ("Quarry Books", "quarry.example", "starter", None),
]

# --------------------------------------------------------------------------
# What customers write about. Each scenario: weight, product area, cases
# (subject and description; the description is formatted with {sheet},
# {rows}, {amount}, {month}), how often
# it is urgent / high, and what agents and customers say in the thread.

SHEETS = ["Q3 revenue", "Pipeline by region", "Weekly signups", "Churn cohort", "Inventory levels",
          "Marketing spend", "Support SLA", "Board pack"]
MONTHS = ["September", "October", "November"]

SCENARIOS = {
    "export": dict(
        weight=16, area="reports",
        cases=[("Export to CSV fails", "Exporting the \"{sheet}\" sheet to CSV fails with \"Something went wrong\". It has about {rows} rows."),
               ("CSV export times out on a large sheet", "When I export \"{sheet}\" ({rows} rows) the download starts and then stops."),
               ("Exported CSV is empty", "The export finishes but the file only has the header row. Sheet: \"{sheet}\"."),
               ("Export button does nothing", "Clicking Export on \"{sheet}\" does nothing. Tried Chrome and Firefox."),
               ("XLSX export cuts off rows", "Our XLSX export of \"{sheet}\" stops at 10,000 rows; the sheet has {rows}."),
               ("CSV export fails again", "Export worked last week; now it spins for a minute and gives up ({rows} rows).")],
        urgent=0.05, high=0.25,
        agent=["Thanks for the details. Could you send the link to \"{sheet}\" so we can reproduce the export?",
               "We can reproduce this: exports over about 50,000 cells time out. Engineering is on it; in the meantime, exporting one tab at a time works.",
               "A fix for large CSV exports went out this morning. Could you try again?"],
        user=["Here is the link. It fails every time for me.", "Exporting one tab at a time works, thanks.",
              "Tried again after the fix, it works now."]),
    "billing": dict(
        weight=14, area="billing",
        cases=[("Invoice shows the wrong amount", "Our {month} invoice says {amount} but we are on the annual plan."),
               ("Charged twice this month", "We were charged {amount} twice on the same day. Please refund one of the charges."),
               ("Refund for unused seats", "We removed 4 seats in {month} but were still billed {amount} for them."),
               ("VAT number missing on invoice", "Our finance team needs our VAT number on the {month} invoice to pay it."),
               ("Need a receipt for the last payment", "Could you send a receipt for the {amount} payment in {month}?"),
               ("Card charged after we cancelled", "We cancelled in {month} and were still charged {amount}."),
               ("Invoice sent to the wrong address", "The {month} invoice went to a colleague who left; please send it to billing@ our domain.")],
        urgent=0.3, high=0.3,
        agent=["I have asked our billing team to check the {month} charges and will update you here.",
               "The duplicate charge has been refunded; it takes 3 to 5 business days to show on your card.",
               "A corrected invoice is attached to this ticket."],
        user=["Thanks, we need this sorted before month end.", "I can see the refund now.", "Received, thank you."]),
    "password": dict(
        weight=10, area="accounts",
        cases=[("Password reset email never arrives", "I requested a password reset three times and got no email. Checked spam too."),
               ("Can't log in after password reset", "After resetting my password the login page just reloads."),
               ("Locked out of my account", "Too many attempts and now I am locked out. I need the \"{sheet}\" numbers for a meeting."),
               ("Reset password link expired", "The reset link says it expired, even when I click it right away.")],
        urgent=0.05, high=0.2,
        agent=["I have sent a new reset link; it is valid for one hour. If it does not arrive, please check whether your mail server blocks brightsheet.example.",
               "Your account was locked after 5 attempts. I have unlocked it; you can sign in again."],
        user=["Got it, I'm back in.", "Still no email arriving.", "Works now, thanks!"]),
    "sso": dict(
        weight=6, area="accounts", plans=["enterprise", "business"],
        cases=[("SSO login fails with a SAML error", "Since this morning everyone using SSO sees \"Invalid SAML response\"."),
               ("Okta SSO redirect loop", "Signing in through our identity provider loops back to the login page."),
               ("New hires can't sign in with SSO", "Users created in our directory this week are rejected by SSO.")],
        urgent=0.25, high=0.4,
        agent=["Could you send us the SAML response from a failed attempt (a HAR file works)?",
               "Your identity provider's signing certificate was rotated; please upload the new one under Settings > Security > SSO."],
        user=["Attached the HAR file.", "Uploaded the new certificate and SSO works again."]),
    "slow": dict(
        weight=9, area="dashboards",
        cases=[("Dashboard slow to load", "The \"{sheet}\" board takes over a minute to load."),
               ("Boards take forever to load", "Everything else is fast, only boards with more than 10 charts are slow."),
               ("Charts keep spinning", "Charts on our main board show a spinner and never finish."),
               ("Board loading is slow since Monday", "Since Monday the \"{sheet}\" board needs 40 seconds to open.")],
        urgent=0.05, high=0.3,
        agent=["Thanks. Which board is it, and roughly how many charts does it have?",
               "We found a slow query on boards with many filters and have deployed a fix."],
        user=["It's \"{sheet}\", around 14 charts.", "Much faster now."]),
    "classic": dict(
        weight=8, area="dashboards",
        cases=[("Where is the classic dashboard?", "After the update my classic dashboard is gone. I need it for the {month} report."),
               ("Bring back the classic dashboard", "Our team preferred the classic dashboard. Is there a setting to get it back?"),
               ("Classic dashboard missing after update", "The classic dashboard had our \"{sheet}\" view and I cannot find it."),
               ("How do I switch back to the old dashboard?", "The new Boards confuse our sales team. Can we switch back to the old dashboard?")],
        urgent=0.0, high=0.1,
        agent=["Your classic dashboards were converted to Boards; they are in the \"Imported from classic\" folder."],
        user=["Found them, thanks.", "OK, but the layout is different."]),
    "pdf": dict(
        weight=4, area="reports",
        cases=[("PDF export v1 is gone", "We used PDF export v1 for the \"{sheet}\" board every week."),
               ("Old PDF export missing", "The old PDF export was one click. How do I get a PDF now?"),
               ("Where did PDF export v1 go?", "Our board pack is built from PDF export v1 files.")],
        urgent=0.0, high=0.1,
        agent=["PDF reports replace it: Share > PDF report. You can schedule it weekly too."],
        user=["The scheduled PDF is even better, thanks."]),
    "scheduled": dict(
        weight=6, area="reports",
        cases=[("Scheduled report not sent", "The Monday report for \"{sheet}\" did not arrive this week."),
               ("Weekly email report didn't arrive", "Nobody on our list got the weekly \"{sheet}\" email."),
               ("Scheduled report went to the wrong people", "Our scheduled report was sent to last month's recipient list.")],
        urgent=0.0, high=0.3,
        agent=["The scheduler skipped some reports on Monday; they have been re-sent."],
        user=["Received it now."]),
    "connector": dict(
        weight=7, area="data-sources",
        cases=[("Google Sheets sync stopped", "The \"{sheet}\" source has not refreshed since yesterday."),
               ("Postgres connector fails to connect", "Connecting to our database fails with \"connection reset by peer\"."),
               ("Salesforce data is a day old", "Pipeline numbers are from yesterday; the sync says it ran."),
               ("Error 500 when refreshing data source", "Refreshing the \"{sheet}\" data source gives error 500.")],
        urgent=0.1, high=0.3,
        agent=["Could you check that 203.0.113.10 is allowed by your database firewall?",
               "The sync token had expired; please reconnect the source under Data > Sources."],
        user=["Allowed the IP, it connects now.", "Reconnected, all good."]),
    "howto": dict(
        weight=10, area="sharing",
        cases=[("How do I share a board with a client?", "We want a client to see one board but nothing else."),
               ("Can I change chart colours?", "Is there a way to use our brand colours in charts?"),
               ("Add a teammate to our workspace", "How do I invite a colleague? The invite button is greyed out."),
               ("Can guests comment on a board?", "We'd like our agency to leave comments on the \"{sheet}\" board."),
               ("Set a default currency for the workspace", "All our numbers show in USD but we report in EUR.")],
        urgent=0.0, high=0.05,
        agent=["Open the board, click Share, and invite them as a guest: guests only see what you share.",
               "Workspace admins can change this under Settings > Workspace."],
        user=["Perfect, thank you!", "That's what I needed."]),
    "outage": dict(
        weight=5, area="platform", jump=True,
        cases=[("Workspace shows error 500 for everyone", "Since a few minutes ago every page in our workspace returns error 500."),
               ("Nothing loads in Brightsheet", "The whole team sees a blank page after signing in."),
               ("All boards show no data", "Every board in our workspace is empty, including \"{sheet}\".")],
        urgent=0.0, high=0.0,
        agent=["We are investigating an incident affecting some workspaces. Updates at status.brightsheet.example.",
               "The incident is resolved; boards should load again."],
        user=["Confirmed, working again."]),
    "spam": dict(
        weight=3, area=None, spam=True,
        cases=[("SEO services for brightsheet.example", "We can get your site to the first page of results. Reply for our price list."),
               ("Guest post opportunity on our blog", "We accept guest posts and offer backlinks at a discount this month."),
               ("Link building offer", "Grow your traffic with 200 backlinks from high authority sites.")],
        urgent=0.0, high=0.0, agent=[], user=[]),
}

GOOD_COMMENTS = ["Fast and friendly, thanks.", "Solved in minutes.", "Clear answer, thank you!", "", "Great help."]
BAD_COMMENTS = ["Took three days to get an answer.", "The answer didn't help.",
                "Problem came back again the next day.", "Not solved, just closed.", ""]
# What an unhappy customer says about a specific problem, by scenario.
BAD_COMMENTS_BY_SCENARIO = {
    "export": ["The export is still broken.", "Exporting one tab at a time is not a fix."],
    "billing": ["Still waiting for the refund.", "Three emails to get a correct invoice."],
    "password": ["Still can't log in."],
    "sso": ["SSO was down half a day and nobody told us why."],
    "slow": ["Boards are still slow."],
    "classic": ["We want the classic dashboard back, not a workaround."],
    "pdf": ["The new PDF reports don't fit our board pack."],
}


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.events = []  # (time, ticket number, sequence, event without id)
        self.sequence = 0
        self.people = self.make_people()

    def make_people(self):
        people = []
        for number in range(60):
            org, domain, plan, manager = ORGS[number % len(ORGS)]
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            people.append({
                "id": "U-%d" % (101 + number),
                "email": "%s.%s@%s" % (first.lower(), last.lower(), domain),
                "name": "%s %s" % (first, last),
                "plan": plan,
                "organization": org,
                "_manager": manager,
            })
        return people

    def add(self, when, ticket_number, event):
        self.sequence += 1
        self.events.append((when, ticket_number, self.sequence, event))

    def creation_times(self):
        times = []
        for _ in range(TICKETS):
            day = self.rng.randrange(DAYS)
            hour = self.rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 3, 4, 6, 7])  # busier mornings (UTC 07:00+)
            minute = self.rng.randrange(60)
            second = self.rng.randrange(60)
            times.append(START + timedelta(days=day, hours=hour, minutes=minute, seconds=second))
        return sorted(times)

    def fill(self, text, ticket):
        return text.format(**ticket["_vars"])

    def run(self):
        names = list(SCENARIOS)
        weights = [SCENARIOS[name]["weight"] for name in names]
        for index, created in enumerate(self.creation_times()):
            scenario_name = self.rng.choices(names, weights)[0]
            self.ticket(1001 + index, created, scenario_name, SCENARIOS[scenario_name])
        self.events.sort(key=lambda item: (item[0], item[1], item[2]))
        lines = []
        for number, (when, _, _, event) in enumerate(self.events, start=1):
            lines.append(dict([("id", "evt-%04d" % number)] + list(event.items())))
        return lines

    def requester_for(self, scenario):
        plans = scenario.get("plans")
        pool = [p for p in self.people if plans is None or p["plan"] in plans]
        return self.rng.choice(pool)

    def ticket(self, number, created, name, scenario):
        rng = self.rng
        ticket_id = "T-%d" % number
        if scenario.get("spam"):
            requester = {"id": "U-%d" % (900 + number % 50),
                         "email": rng.choice(["offers@rankboost.example", "noreply@linkfarm.example", "hello@seo-wizards.example"]),
                         "name": "Growth Team"}
        else:
            person = self.requester_for(scenario)
            requester = {k: v for k, v in person.items() if not k.startswith("_")}
        roll = rng.random()
        priority = "urgent" if roll < scenario["urgent"] else "high" if roll < scenario["urgent"] + scenario["high"] else "normal"
        if rng.random() < 0.08 and priority == "normal":
            priority = "low"
        channel = rng.choices(["email", "web", "chat", "phone"], [50, 25, 15, 10])[0]
        if scenario.get("spam"):
            channel, priority = "email", "normal"
        tags = []
        if not scenario.get("spam") and requester.get("plan") != "enterprise" and rng.random() < 0.03:
            tags.append("vip")
        custom = {"workspace_id": "ws-%05d" % rng.randrange(10000, 99999)}
        if not scenario.get("spam"):
            manager = next((p["_manager"] for p in self.people if p["id"] == requester["id"]), None)
            if manager:
                custom["account_manager"] = manager
        subject, description = rng.choice(scenario["cases"])
        full = {
            "id": ticket_id,
            "subject": subject,
            "description": "",
            "status": "new",
            "priority": priority,
            "channel": channel,
            "tags": tags,
            "product_area": scenario["area"],
            "requester": requester,
            "assignee": None,
            "group": None,
            "created_at": iso(created),
            "updated_at": iso(created),
            "custom": custom,
            "_vars": {"sheet": rng.choice(SHEETS), "rows": "{:,}".format(rng.randrange(20, 400) * 1000),
                      "amount": "$%d.00" % rng.choice([49, 99, 199, 490, 990, 1990]), "month": rng.choice(MONTHS)},
        }
        full["description"] = self.fill(description, full)
        if channel == "phone":
            full["description"] = "Phone call, agent summary: " + full["description"]

        def snapshot(**changes):
            ticket = {k: full[k] for k in ("id", "subject", "status", "priority", "channel", "product_area", "requester")}
            ticket.update(changes)
            ticket["updated_at"] = iso(now)
            return ticket

        now = created
        self.add(now, number, {"type": "ticket.created", "occurred_at": iso(now), "source": "zendesk",
                               "ticket": {k: v for k, v in full.items() if not k.startswith("_")}})
        if scenario.get("spam"):
            if rng.random() < 0.5:
                now += timedelta(minutes=rng.randrange(20, 240))
                full["status"] = "closed"
                self.add(now, number, {"type": "ticket.solved", "occurred_at": iso(now), "source": "zendesk",
                                       "ticket": snapshot(status="closed")})
            return

        # An outage starts as an ordinary ticket; an agent raises it straight to urgent.
        if scenario.get("jump") or (priority in ("low", "normal") and rng.random() < 0.06):
            now += timedelta(minutes=rng.randrange(5, 60))
            full["priority"], full["status"] = "urgent", "open"
            self.add(now, number, {"type": "ticket.updated", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot()})
        # Some billing tickets become urgent after the customer chases.
        elif name == "billing" and priority != "urgent" and rng.random() < 0.4:
            now += timedelta(hours=rng.randrange(1, 6), minutes=rng.randrange(60))
            self.add(now, number, {"type": "ticket.commented", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot(),
                                   "comment": {"author_role": "end_user", "public": True,
                                               "body": "Any update? Our finance team is blocked until this is fixed."}})
            now += timedelta(minutes=rng.randrange(5, 40))
            full["priority"], full["status"] = "urgent", "open"
            self.add(now, number, {"type": "ticket.updated", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot()})

        # The conversation.
        turns = rng.choice([1, 1, 1, 2, 2])
        for turn in range(turns):
            if not scenario["agent"]:
                break
            now += timedelta(minutes=rng.randrange(15, 300))
            full["status"] = "pending"
            body = self.fill(scenario["agent"][min(turn, len(scenario["agent"]) - 1)], full)
            self.add(now, number, {"type": "ticket.commented", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot(),
                                   "comment": {"author_role": "agent", "public": True, "body": body}})
            if rng.random() < 0.15:
                now += timedelta(minutes=rng.randrange(1, 20))
                self.add(now, number, {"type": "ticket.commented", "occurred_at": iso(now), "source": "zendesk",
                                       "ticket": snapshot(),
                                       "comment": {"author_role": "agent", "public": False,
                                                   "body": "Checked the logs for %s; see the linked engineering issue." % full["custom"]["workspace_id"]}})
            if rng.random() < 0.7:
                now += timedelta(minutes=rng.randrange(10, 600))
                full["status"] = "open"
                body = self.fill(scenario["user"][min(turn, len(scenario["user"]) - 1)], full)
                self.add(now, number, {"type": "ticket.commented", "occurred_at": iso(now), "source": "zendesk",
                                       "ticket": snapshot(),
                                       "comment": {"author_role": "end_user", "public": True, "body": body}})
            if turn == 0 and full["priority"] == "normal" and rng.random() < 0.12:
                now += timedelta(minutes=rng.randrange(5, 30))
                full["priority"] = "high"
                self.add(now, number, {"type": "ticket.updated", "occurred_at": iso(now), "source": "zendesk",
                                       "ticket": snapshot()})

        if rng.random() < 0.12:
            return  # still open at the end of the week

        now += timedelta(minutes=rng.randrange(10, 240))
        full["status"] = "solved"
        self.add(now, number, {"type": "ticket.solved", "occurred_at": iso(now), "source": "zendesk", "ticket": snapshot()})

        if rng.random() < 0.1:
            now += timedelta(hours=rng.randrange(2, 30))
            full["status"] = "open"
            self.add(now, number, {"type": "ticket.reopened", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot()})
            now += timedelta(minutes=1)
            self.add(now, number, {"type": "ticket.commented", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot(),
                                   "comment": {"author_role": "end_user", "public": True,
                                               "body": "This is happening again, same problem as before."}})
            now += timedelta(hours=rng.randrange(1, 8))
            full["status"] = "solved"
            self.add(now, number, {"type": "ticket.solved", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot()})

        if rng.random() < 0.5:
            now += timedelta(hours=rng.randrange(1, 20))
            bad = rng.random() < (0.45 if name in ("export", "billing") else 0.2)
            comment = rng.choice(BAD_COMMENTS + BAD_COMMENTS_BY_SCENARIO.get(name, []) if bad else GOOD_COMMENTS)
            rating = {"score": "bad" if bad else "good"}
            if comment:  # the help desk leaves the field out when the customer wrote nothing
                rating["comment"] = comment
            self.add(now, number, {"type": "ticket.rated", "occurred_at": iso(now), "source": "zendesk",
                                   "ticket": snapshot(),
                                   "rating": rating})


def bad_lines():
    """Good and malformed events mixed, for showing how errors are reported.
    Kept out of events.jsonl on purpose. Written as text: some are not JSON."""
    requester = {"id": "U-801", "email": "rhea.mond@tidewell.example", "name": "Rhea Mond", "plan": "pro"}
    good_first = {
        "id": "evt-bad-0001", "type": "ticket.created", "occurred_at": "2026-11-23T09:00:00Z", "source": "zendesk",
        "ticket": {"id": "T-2001", "subject": "Export to CSV fails", "description": "The export stops halfway.",
                   "status": "new", "priority": "normal", "channel": "email", "tags": [], "product_area": "reports",
                   "requester": requester, "assignee": None, "group": None, "custom": {}}}
    good_second = {
        "id": "evt-bad-0002", "type": "ticket.commented", "occurred_at": "2026-11-23T09:20:00Z", "source": "zendesk",
        "ticket": {"id": "T-2001", "status": "open", "priority": "normal"},
        "comment": {"author_role": "end_user", "public": True, "body": "It fails for every sheet over 100,000 rows."}}
    wrong_priority = {
        "id": "evt-bad-0004", "type": "ticket.updated", "occurred_at": "2026-11-23T09:40:00Z", "source": "zendesk",
        "ticket": {"id": "T-2001", "status": "open", "priority": "urgnt"}}
    missing_ticket_id = {
        "id": "evt-bad-0005", "type": "ticket.created", "occurred_at": "2026-11-23T09:45:00Z", "source": "zendesk",
        "ticket": {"subject": "Invoice shows the wrong amount", "status": "new", "priority": "high",
                   "channel": "web", "product_area": "billing", "requester": requester}}
    duplicate_changed = dict(good_second, comment={"author_role": "end_user", "public": True,
                                                   "body": "Sorry, wrong sheet: it fails for all sheets."})
    good_last = {
        "id": "evt-bad-0006", "type": "ticket.solved", "occurred_at": "2026-11-23T10:30:00Z", "source": "zendesk",
        "ticket": {"id": "T-2001", "status": "solved", "priority": "normal"}}
    return [
        json.dumps(good_first),
        json.dumps(good_second),
        # invalid JSON: the object is cut off after "ticket"
        '{"id": "evt-bad-0003", "type": "ticket.updated", "occurred_at": "2026-11-23T09:30:00Z", "ticket": {"id": "T-2001", "status": "open"',
        json.dumps(wrong_priority),
        json.dumps(missing_ticket_id),
        json.dumps(duplicate_changed),
        json.dumps(good_last),
    ]


def main():
    lines = Generator(SEED).run()
    with open(os.path.join(HERE, "events.jsonl"), "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "bad-events.jsonl"), "w", encoding="utf-8") as out:
        for line in bad_lines():
            out.write(line + "\n")
    print("wrote %d events to examples/events.jsonl and %d lines to examples/bad-events.jsonl"
          % (len(lines), len(bad_lines())))


if __name__ == "__main__":
    main()
