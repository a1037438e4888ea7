@testable import Actions
import Core
import Testing

/// Grouping by text: paraphrases together, look-alikes apart, and the
/// incremental index's state and pruning.
@Suite struct TextGroupingTests {
    let knowledgeBase = KnowledgeBase(guides: [
        Guide(
            id: "large-export-fails", title: "Large exports stop or time out", tags: ["export", "timeout"],
            phrases: ["export spins forever", "download starts then stops"],
            body: "Very large sheets can take long enough that the export is cancelled. The file is truncated."),
        Guide(
            id: "reset-password", title: "Reset your password", tags: ["password", "login"],
            phrases: ["forgot my password", "reset link expired"],
            body: "Use the reset link on the sign-in page. The link works for one hour."),
        Guide(
            id: "change-chart-colours", title: "Change chart colours", tags: ["charts", "branding"],
            phrases: ["use our brand colours"], body: "Open the chart menu and pick a palette."),
    ])

    @Test func group_putsParaphrasesTogetherAndLookAlikesApart() {
        let texts = [
            "the export spins forever and then stops",
            "download of our big sheet times out halfway",
            "forgot my password and the reset link expired",
            "reset link says expired, cannot log in",
            "how do I change the colours of a chart",
        ]
        let groups = TextGrouping.group(texts, knowledgeBase: knowledgeBase)
        #expect(groups[0] == groups[1])
        #expect(groups[2] == groups[3])
        #expect(groups[0] != groups[2])
        #expect(groups[4] != groups[0] && groups[4] != groups[2])
        #expect(groups == [0, 0, 1, 1, 2])
    }

    @Test func similarity_isOneForTheSameTextAndZeroForNothingInCommon() {
        let similarity = TextSimilarity(knowledgeBase: nil)
        #expect(abs(similarity.similarity("export stops halfway", "export stops halfway") - 1) < 1e-9)
        #expect(similarity.similarity("export stops halfway", "weather in Lisbon") == 0)
    }

    func time(_ minutes: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: minutes * 60_000) }

    @Test func assign_joinsSimilarTicketAndStartsGroupForOthers() {
        var index = TextGroupIndex()
        let first = index.assign(
            ticketID: "T-1", text: "the export spins forever and then stops", at: time(0), since: time(-60),
            knowledgeBase: knowledgeBase)
        let second = index.assign(
            ticketID: "T-2", text: "export spins forever, the file stops", at: time(1), since: time(-59),
            knowledgeBase: knowledgeBase)
        let third = index.assign(
            ticketID: "T-3", text: "forgot my password", at: time(2), since: time(-58), knowledgeBase: knowledgeBase)
        #expect(first == "T-1")
        #expect(second == "T-1")
        #expect(third == "T-3")
        #expect(index.tickets(inGroup: "T-1") == ["T-1", "T-2"])
        // The same ticket again keeps its group.
        #expect(index.assign(
            ticketID: "T-3", text: "forgot my password", at: time(3), since: time(-57), knowledgeBase: knowledgeBase) == "T-3")
    }

    /// A word most of many groups share is not looked up; the ticket still
    /// finds its group through the words that tell.
    @Test func assign_amongManyGroupsSharingAWord_stillFindsTheRightOne() {
        var index = TextGroupIndex()
        for number in 0..<(TextGroupIndex.manyGroups + 50) {
            _ = index.assign(
                ticketID: "T-\(number)", text: "flood w\(number)a w\(number)b w\(number)c w\(number)d w\(number)e", at: time(Int64(number)), since: time(-60),
                knowledgeBase: nil)
        }
        #expect(index.groupCount == TextGroupIndex.manyGroups + 50)
        let joined = index.assign(
            ticketID: "N-1", text: "flood w7a w7b w7c w7d", at: time(300), since: time(-60), knowledgeBase: nil)
        #expect(joined == "T-7")
    }

    @Test func state_roundTripsThroughJSON() throws {
        var index = TextGroupIndex()
        _ = index.assign(
            ticketID: "T-1", text: "the export spins forever and then stops", at: time(0), since: time(-60),
            knowledgeBase: knowledgeBase)
        let text = JSONWriter.string(index.state)
        var restored = TextGroupIndex(state: try JSONReader.read(text))
        #expect(JSONWriter.string(restored.state) == text)
        #expect(restored.assign(
            ticketID: "T-2", text: "export spins forever, the file stops", at: time(1), since: time(-59),
            knowledgeBase: knowledgeBase) == "T-1")
    }

    @Test func assign_prunesGroupsWithNoMemberSinceTheWindowStart() {
        var index = TextGroupIndex()
        _ = index.assign(
            ticketID: "T-1", text: "the export spins forever and then stops", at: time(0), since: time(-60),
            knowledgeBase: knowledgeBase)
        // Two hours later, with a one-hour window: T-1's group is gone.
        let key = index.assign(
            ticketID: "T-2", text: "export spins forever, the file stops", at: time(120), since: time(60),
            knowledgeBase: knowledgeBase)
        #expect(key == "T-2")
        #expect(index.groupCount == 1)
        #expect(index.tickets(inGroup: "T-1").isEmpty)
    }

    /// A group does not drift away from the ticket that began it: C is like
    /// B and B like A, but C is nothing like A, so C begins a group of its
    /// own even though it is like the A+B centroid.
    @Test func assign_aTicketUnlikeTheGroupsFirst_doesNotJoinThroughTheCentroid_evenAfterARestore() throws {
        let texts = ["alpha bravo charlie delta", "charlie delta echo foxtrot", "echo foxtrot golf hotel"]
        func grouped(_ parameters: TextSimilarity.Parameters) -> [String] {
            var index = TextGroupIndex()
            index.parameters = parameters
            return texts.enumerated().map { number, text in
                index.assign(ticketID: "T-\(number + 1)", text: text, at: time(Int64(number)), since: time(-60), knowledgeBase: nil)
            }
        }
        #expect(TextSimilarity.Parameters.standard.founderShare > 0)
        #expect(grouped(.standard) == ["T-1", "T-1", "T-3"])
        var drifting = TextSimilarity.Parameters.standard
        drifting.founderShare = 0
        #expect(grouped(drifting) == ["T-1", "T-1", "T-1"], "the centroid alone takes C in")

        // A group stored before founders were kept has no founder to check.
        var index = TextGroupIndex()
        for (number, text) in texts.prefix(2).enumerated() {
            _ = index.assign(ticketID: "T-\(number + 1)", text: text, at: time(Int64(number)), since: time(-60), knowledgeBase: nil)
        }
        // Restored from its state, the group still checks against its first ticket.
        var kept = TextGroupIndex(state: index.state)
        #expect(kept.assign(ticketID: "T-3", text: texts[2], at: time(2), since: time(-60), knowledgeBase: nil) == "T-3")

        guard case .object(var old) = index.state, case .array(let groups)? = old["groups"] else {
            Issue.record("state is not an object with groups")
            return
        }
        #expect(groups.allSatisfy { $0["founder"] != nil })
        old["groups"] = .array(groups.map { group in
            guard case .object(var fields) = group else { return group }
            fields["founder"] = nil
            return .object(fields)
        })
        var restored = TextGroupIndex(state: .object(old))
        #expect(restored.assign(ticketID: "T-3", text: texts[2], at: time(2), since: time(-60), knowledgeBase: nil) == "T-1")
    }
}
