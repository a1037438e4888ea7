extension SupportLexicon {
    /// The built-in concepts: support vocabulary, one concept a line as
    /// `name = form, form, …`. Forms are matched after normalisation and
    /// stemming, so "downloading" matches `download`; a form of several words
    /// matches those words in sequence. Keep forms specific: a form that is
    /// common in every ticket ("not", "work") links everything to everything.
    static let standardSource = """
        # Getting data out and in
        export = export, download, extract, save as, save to my computer, get my data out, get the data out, get a copy, dump, csv file, xlsx file
        import = import, upload, bring in, load a file, drag in, drop in, skipped lines, skipped rows
        file = file, csv, xlsx, xls, tsv, workbook, spreadsheet file
        spreadsheet-app = excel, libreoffice, numbers on my mac, open office, spreadsheet app
        pdf = pdf, print, printing, printable, print out, printout, board pack, monthly pack, a4, landscape, document

        # Signing in
        sign-in = sign in, signin, log in, login, logon, log on, get in, access my account, credentials, login page, login screen, login button
        lockout = locked out, locked, lock out, too many attempts, wrong guesses, wrong password, try again later, kicked out, blocked account
        password = password, passcode, pwd, reset link, forgot, forgotten password
        two-factor = two factor, 2fa, mfa, authenticator, verification code, one time code, otp, security code, six digit code, lost phone, new phone, lost my phone
        sso = sso, single sign on, saml, okta, entra, azure ad, active directory, identity provider, idp, scim, provisioning, certificate, company login

        # People and access
        permission = permission, permissions, rights, access level, role, roles, viewer, editor, admin, owner, not allowed, forbidden, access denied, greyed out, grayed out, read only, can't edit
        share = share, sharing, guest, guests, external, outside, client, clients, agency, partner, journalist, public link, public, embed, embedded, iframe, intranet, wall tv, tv screen
        invite = invite, invitation, add a user, new hire, onboard, teammate, join, add someone, add people
        seat = seat, seats, license, licence, user count, member count, headcount, downsized
        ownership = ownership, owner, transfer, hand over, handover, left the company, leaves, leaving, offboarding, quit, departed, who left, someone left
        user = user, member, members, teammate, colleague, person, people, employee, staff, everyone, new hire

        # Money
        billing = bill, billing, billed, charge, charged, invoice, invoices, receipt, payment, pay, paid, paying, card, credit card, amount due
        refund = refund, money back, reimburse, overcharged, double charged, charged twice, duplicate charge, credit note
        tax = vat, tax, sales tax, vat number, tax id, company details, business address, billing address, reverse charge, legal entity, parent company, consumer, business customer
        plan = plan, subscription, upgrade, downgrade, tier, pricing, annual, yearly, trial, renew, renewal
        cancel = cancel, cancellation, unsubscribe, terminate, stop paying, end our contract, close our account, leave brightsheet
        declined = declined, card declined, payment failed, expired card, bounced, insufficient funds, read only mode

        # Deleting, restoring, history
        delete = delete, deleted, remove, erase, wipe, trash, get rid of, gdpr, right to be forgotten, be forgotten, privacy, personal data
        restore = restore, recover, undo, undelete, bring back, get back, revert, roll back, version history, gone for good
        audit = audit, audit log, who changed, who deleted, history, activity log, trail, siem

        # Data and connections
        connector = connector, connection, connect, integration, data source, source
        database = database, db, postgres, postgresql, mysql, sql, warehouse, snowflake, bigquery, redshift, firewall, ip address, allowlist, whitelist, ssl, port
        crm = salesforce, crm, sfdc, pipeline, opportunity, opportunities, custom field, sandbox
        google-sheets = google sheets, google sheet, gsheet, google drive, google account
        sync = sync, synced, synchronise, synchronize, refresh, refreshed, reload, up to date, out of date, outdated, stale, lag, lagging, latest numbers, old numbers, not updating, stopped updating, pull the latest, behind
        api = api, token, tokens, api key, webhook, endpoint, rest, 401, 403, 429, rate limit, too many requests, throttled, throttling, retry after, pagination, script, developer, http

        # Numbers
        mismatch = mismatch, don't match, doesn't match, do not match, discrepancy, inaccurate, incorrect, not adding up, don't add up, off by, different numbers, wrong numbers, wrong totals, totals
        timezone = timezone, time zone, utc, gmt, daylight saving, day before, off by one day, midnight, shifted by a day, a day late, lag a day
        number-format = decimal, decimals, decimal separator, comma, dot, thousands, separator, locale, language, currency, dollar, dollars, euro, euros, kronor, pound, number format, formatted
        colour = colour, color, colours, colors, brand, branding, theme, palette, logo, style, font

        # Boards and charts
        board = board, boards, dashboard, dashboards, classic dashboard, main screen, home screen
        chart = chart, charts, graph, graphs, widget, widgets, visual, visualisation, visualization, plot, tile, pie, bar chart, line chart, map, geo, kpi
        filter = filter, filters, slicer, date picker, dropdown, drop down, selector, selectors, period picker, date range, region picker
        blank = blank, empty, no data, nothing shows, white box, white rectangle, zero rows, only headers, only the header, empty boxes, column names

        # Things going wrong
        slow = slow, slowly, sluggish, laggy, takes forever, forever, ages, spin, spinning, spins, spinner, circles, round and round, loading, freeze, freezes, frozen, hang, hangs, crawl, crawls, performance, seconds to open
        timeout = timeout, time out, timed out, times out, never finishes, never completes, stops halfway, half the size, truncated, damaged, cut off
        outage = outage, is down, site down, unavailable, 502, 503, 500, status page, white screen, blank screen, can't reach, not loading, nobody can
        error = error, fail, fails, failed, failure, broken, crash, crashed, something went wrong, bug, glitch, refused, rejected, invalid
        garbled = garbled, gibberish, weird symbols, strange characters, question marks, accents, encoding, utf 8, mojibake, scrambled, one column, column a, crammed, misaligned, shifted, leading zeros
        removed = removed, gone, disappeared, moved, cannot find, can't find, where is, where did, went away, no longer, not there anymore, replaced, retired, deprecated, used to be
        release = update, new version, release, redesign, looks different, new look, new layout, after the update, since the update, upgrade

        # Email and schedules
        email = email, e mail, mail, inbox, spam, junk, mailbox, newsletter
        email-address = email address, new email, new domain, domain, renamed, rebrand, old address, different email, address
        schedule = schedule, scheduled, scheduling, every monday, every day, every week, weekly, daily, monthly, recurring, automated, automatic, automatically, each morning, every morning, every 1st
        recipients = recipient, recipients, mailing list, distribution list, the list, cc
        notification = notification, notifications, notify, notified, alert, alerts, reminder, digest, mention, mentions, comment, comments
        arrive = arrive, arrived, receive, received, receiving, deliver, delivered, delivery, never came, didn't come, never arrived, not arriving, nothing came, land in, show up
        mobile = mobile, phone, iphone, android, ios, tablet, ipad, app, samsung, pixel

        # Admin
        workspace = workspace, organisation, organization, company account, team account, tenant, org
        """
}
