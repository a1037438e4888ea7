extension SupportLexicon {
    /// The built-in concepts: support vocabulary, one concept a line as
    /// `name = form, form, …`. Forms are matched after normalisation and
    /// stemming, so "downloading" matches `download`; a form of several words
    /// matches those words in sequence. Keep forms specific: a form that is
    /// common in every ticket ("not", "work") links everything to everything.
    static let standardSource = """
        # Getting data out and in
        export = export, download, extract, save as, get my data out, get the data out, dump, csv file, xlsx, spreadsheet file
        import = import, upload, load a file, bring in, drag in, drop in
        file = file, csv, xlsx, xls, spreadsheet file, workbook
        spreadsheet = spreadsheet, excel, workbook, google sheet, google sheets, gsheet
        pdf = pdf, print, printable, printout, board pack, a4, letter size

        # Accounts and access
        sign-in = sign in, signin, log in, login, logon, log on, logging in, signing in, get in, cannot access my account, locked out, sso, single sign on
        sign-out = sign out, log out, logout, logged out, kicked out, session expired
        password = password, passcode, pwd, reset link, forgot password
        two-factor = two factor, 2fa, mfa, authenticator, verification code, one time code, otp, security code
        permission = permission, access denied, not allowed, forbidden, no access, role, viewer, editor, admin rights, greyed out, grayed out, disabled button
        share = share, sharing, shared, invite, collaborator, guest, external, outside, client, agency, public link, embed, read access
        seat = seat, license, licence, user slot, member count

        # Money
        billing = bill, billing, billed, charge, charged, invoice, receipt, payment, pay, paid, card, credit card, refund, overcharged, double charged, vat, tax, price, pricing, cost
        subscription = subscription, plan, upgrade, downgrade, renew, renewal, trial, cancel my account, cancel subscription, tier
        cancel = cancel, cancellation, unsubscribe, terminate, close my account, stop paying

        # Data and connections
        connector = connector, connection, connect, integration, integrate, data source, source, link account, hook up, plug in
        sync = sync, synchronise, synchronize, refresh, update, reload, pull, fetch, stale, out of date, outdated, behind, not updating, stopped updating, old numbers, hours behind, a day old
        database = database, db, postgres, postgresql, mysql, sql server, warehouse, snowflake, bigquery, redshift
        crm = salesforce, crm, hubspot, pipeline, opportunity, opportunities, deal
        numbers = number, numbers, figure, figures, total, totals, sum, revenue, metric, value, amount, count, kpi
        mismatch = mismatch, don't match, doesn't match, do not match, different, wrong, off, incorrect, inaccurate, discrepancy, not adding up, don't add up
        timezone = timezone, time zone, utc, gmt, daylight saving, wrong hour, wrong day

        # Boards and charts
        board = board, dashboard, boards, dashboards, classic dashboard, page
        chart = chart, graph, widget, visual, visualisation, visualization, plot, tile, pie, bar chart, line chart
        filter = filter, filters, filtering, slicer, date picker, dropdown, date range, region picker
        format = format, formatting, colour, color, colours, colors, brand, branding, theme, style, font, decimal, decimals, currency, dollar, dollars, euro, euros, number format, logo
        blank = blank, empty, no data, nothing shows, nothing showing, shows nothing, vanished, missing, disappeared, gone, white, zero rows, only the header

        # Things going wrong
        slow = slow, slowly, sluggish, lag, laggy, takes forever, forever, ages, spin, spinning, spins, spinner, loading, freeze, freezes, frozen, hang, hangs, timeout, time out, timed out, times out, performance, unresponsive
        error = error, fail, fails, failed, failure, broken, crash, crashed, something went wrong, went wrong, bug, glitch, refused, rejected, denied, invalid
        garbled = garbled, gibberish, weird symbols, weird characters, strange characters, question marks, accents, encoding, utf, utf8, mojibake, scrambled, corrupted, corrupt
        removed = removed, gone, disappeared, moved, missing, cannot find, can't find, where is, where did, went away, no longer, not there anymore, replaced, retired, deprecated
        changed = changed, update, new version, redesign, different since, looks different, after the update, new look, new layout

        # Email and schedules
        email = email, e mail, mail, inbox, newsletter, spam, junk, mailbox, recipient, recipients
        schedule = schedule, scheduled, scheduling, every monday, every day, every week, weekly, daily, monthly, recurring, automatically send, send automatically, each morning, every morning
        notification = notification, notify, notified, alert, alerts, reminder, ping, digest
        arrive = arrive, arrived, receive, received, receiving, deliver, delivered, delivery, get the email, come, came, never came, didn't come, never arrived, not arriving

        # Admin
        delete = delete, remove, erase, wipe, trash, get rid of
        restore = restore, recover, undo, undelete, bring back, get back, revert, roll back, version history
        workspace = workspace, organisation, organization, company account, team account, tenant
        user = user, member, teammate, colleague, person, people, employee, staff
        api = api, token, api key, webhook, endpoint, rest api, developer
        """
}
