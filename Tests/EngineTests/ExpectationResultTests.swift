import Core
@testable import Engine
import Testing
@testable import Workflows

/// How a test case's `result:` is held against an effect's details.
@Suite struct ExpectationResultTests {
    static let details: Value = .object(Value.Object([
        ("count", .int(4)),
        ("guides", .array([
            .object(Value.Object([("id", "account-locked"), ("score", .double(0.88))])),
        ])),
        ("tickets", .array(["T-1", "T-2"])),
    ]))

    @Test func listedKeysAtAnyDepthAreCompared_othersAreNot() {
        let listed: Value = .object(Value.Object([
            ("guides", .array([.object(Value.Object([("id", "account-locked")]))])),
        ]))
        #expect(WorkflowTestCase.Expectation.found(listed, in: Self.details))

        let wrongGuide: Value = .object(Value.Object([
            ("guides", .array([.object(Value.Object([("id", "reset-password")]))])),
        ]))
        #expect(!WorkflowTestCase.Expectation.found(wrongGuide, in: Self.details))
    }

    @Test func listsMustHaveEveryItemInOrder() {
        let fewer: Value = .object(Value.Object([("tickets", .array(["T-1"]))]))
        let reordered: Value = .object(Value.Object([("tickets", .array(["T-2", "T-1"]))]))
        #expect(!WorkflowTestCase.Expectation.found(fewer, in: Self.details))
        #expect(!WorkflowTestCase.Expectation.found(reordered, in: Self.details))
    }

    @Test func numbersCompareByValue_andAMissingKeyNeverMatches() {
        #expect(WorkflowTestCase.Expectation.found(.object(Value.Object([("count", .double(4))])), in: Self.details))
        #expect(!WorkflowTestCase.Expectation.found(.object(Value.Object([("count", .int(5))])), in: Self.details))
        #expect(!WorkflowTestCase.Expectation.found(.object(Value.Object([("intent", .null)])), in: Self.details))
    }

    /// YAML reads `tickets: [101]` as numbers; the log keeps ids as text.
    @Test func aNumberWrittenWhereTheEffectHasTextMatchesThatText() {
        let details: Value = .object(Value.Object([("tickets", .array(["101", "102"])), ("urgent", "true")]))
        #expect(WorkflowTestCase.Expectation.found(.object(Value.Object([("tickets", .array([101, 102]))])), in: details))
        #expect(WorkflowTestCase.Expectation.found(.object(Value.Object([("urgent", true)])), in: details))
        #expect(!WorkflowTestCase.Expectation.found(.object(Value.Object([("tickets", .array([101, 103]))])), in: details))
    }

    /// A nested parameter lists what it compares, like a result.
    @Test func aNestedParameterComparesOnlyTheKeysListed() {
        let effect = Effect(
            key: EffectKey(eventID: "e1", workflow: "w", step: "1"), workflowVersion: "v",
            action: "file_product_recommendation",
            parameters: Value.Object([
                ("title", "t"),
                ("when_recurs", .object(Value.Object([("by", "text"), ("at_least", 3), ("within", "7d")]))),
            ]),
            ticketID: "T-1", outcome: .applied)
        let location = SourceLocation(file: "w.test.yaml", line: 1, column: 1)
        let byText = WorkflowTestCase.Expectation(
            action: "file_product_recommendation",
            parameters: Value.Object([("when_recurs", .object(Value.Object([("by", "text")])))]), location: location)
        let byKey = WorkflowTestCase.Expectation(
            action: "file_product_recommendation",
            parameters: Value.Object([("when_recurs", .object(Value.Object([("by", "key")])))]), location: location)
        #expect(byText.matches(effect))
        #expect(!byKey.matches(effect))
    }
}
