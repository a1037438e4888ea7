import Actions
import Foundation
import Core
import Testing

/// Problems and requests: how a ticket's intent is read, and that grouping
/// keeps the two apart.
@Suite struct TicketIntentTests {
    @Test(arguments: [
        "the export stops at 10,000 rows",
        "Excel download cuts off, why?",
        "can't log in since this morning",
        "Charged 2x for the renewal?! please refund one",
        "how do I stop these emails, they still arrive after I unsubscribed",
        "the map page is blank in the pdf",
        "app closes itself when I tap the regional board",
        "Is the site down?",
        "Invoice IDs in my download end with 000?? is your system corrupting them",
        "Is there an outage with SSO today?",
        "the to-do list sorts by name now",
        "When I pick 'yesterday' the chart shows the day before",
    ])
    func init_readsReportsOfTroubleAsProblems(text: String) {
        #expect(TicketIntent(text: text) == .problem)
    }

    @Test(arguments: [
        "how do I export only the filtered rows to excel",
        "Can our logo go on the cover of the board pack pdf?",
        "payment by bank transfer possible?",
        "we need a purchase order number on the invoice",
        "csv export: is it possible to use tabs as separator",
        "turn off the daily digest email please",
        "I\u{2019}d like to add five seats for December",
        "A4 layout\nWill the pdf support A4 pages",
        "Can we get invoices in euros?\n\nThanks, Anna",
        "No rush - can we get A4 pages?",
        "Not urgent, but could you add a dark mode",
        "how do I add a drop-down filter to the board",
        "when will the A4 layout be available",
        "I can't find where to change my billing address",
        "not sure how to share a board with a client",
        "our manager asked \"can the board show targets?\"",
        "Can we get invoices in euros?\n-- \nAnna Berg, Finance\nDo not reply to this address",
        "how do I add a colleague to the weekly report\n\nIf you are not the intended recipient, do not read this email.",
    ])
    func init_readsQuestionsAndWishesAsRequests(text: String) {
        #expect(TicketIntent(text: text) == .request)
    }

    @Test func init_countsQuestionOpenersOnlyWhereASentenceBegins() {
        // "is" opens a question after a colon, not in the middle of a statement.
        #expect(TicketIntent(text: "google sheet connector: is a tab choice planned") == .request)
        #expect(TicketIntent(text: "the google sheet connector is a bit confusing to set up") == .problem)
        // A phrase that asks counts wherever it stands, at the end of a long text too.
        let long = String(repeating: "the board layout looks fine. ", count: 3_000)
        #expect(TicketIntent(text: long + "we would like A4 pages") == .request)
        #expect(TicketIntent(text: long + "we would") == .problem)
        // A "?" inside a link asks nothing.
        #expect(TicketIntent(text: "the page at https://example.com/board?id=4 shows last week") == .problem)
    }

    @Test func grouping_keepsProblemsAndRequestsApart_evenAtThresholdZero() {
        let texts = [
            "the excel export stops at 10,000 rows",
            "how do I export only the filtered rows to excel",
            "excel export cut off after 10,000 rows again",
            "can I export only the filtered rows to excel?",
        ]
        let similarity = TextSimilarity(knowledgeBase: nil)
        let signatures = texts.map(similarity.signature)
        #expect(signatures.map(\.intent) == [.problem, .request, .problem, .request])
        #expect(similarity.similarity(signatures[0], signatures[1]) == 0)
        #expect(similarity.similarity(signatures[1], signatures[3]) > 0.5)
        #expect(TextGrouping.group(texts, knowledgeBase: nil) == [0, 1, 0, 1])
        #expect(TextGrouping.group(texts, knowledgeBase: nil, threshold: 0) == [0, 1, 0, 1])
    }

    @Test func index_storesEachGroupsIntent_andAGroupStoredWithoutOneTakesItsFirstJoiners() throws {
        let start = Timestamp(millisecondsSinceEpoch: 0)
        var index = TextGroupIndex()
        _ = index.assign(ticketID: "T-1", text: "the excel export stops at 10,000 rows", at: start, since: start, knowledgeBase: nil)
        let stored = index.state
        #expect(stored["groups"]?.arrayValue?.first?["intent"] == "problem")

        var restored = TextGroupIndex(state: stored)
        #expect(restored.assign(
            ticketID: "T-2", text: "how do I make the excel export stop at 10,000 rows", at: start, since: start,
            knowledgeBase: nil) == "T-2")

        // A group stored before intents were read has none, and any ticket may join it.
        let withoutIntent = try JSONReader.read(JSONWriter.string(stored).replacingOccurrences(of: #","intent":"problem""#, with: ""))
        #expect(withoutIntent["groups"]?.arrayValue?.first?["intent"] == nil)
        var older = TextGroupIndex(state: withoutIntent)
        #expect(older.assign(
            ticketID: "T-2", text: "how do I make the excel export stop at 10,000 rows", at: start, since: start,
            knowledgeBase: nil) == "T-1")
        #expect(older.state["groups"]?.arrayValue?.first?["intent"] == "request")
        #expect(older.assign(
            ticketID: "T-3", text: "the excel export stops at 10,000 rows again", at: start, since: start,
            knowledgeBase: nil) == "T-3")
    }
}
