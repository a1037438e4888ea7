import Core
@testable import Engine
import Testing
import Workflows

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
        #expect(WorkflowTestCase.Expectation.value(Self.details, has: listed))

        let wrongGuide: Value = .object(Value.Object([
            ("guides", .array([.object(Value.Object([("id", "reset-password")]))])),
        ]))
        #expect(!WorkflowTestCase.Expectation.value(Self.details, has: wrongGuide))
    }

    @Test func listsMustHaveEveryItemInOrder() {
        let fewer: Value = .object(Value.Object([("tickets", .array(["T-1"]))]))
        let reordered: Value = .object(Value.Object([("tickets", .array(["T-2", "T-1"]))]))
        #expect(!WorkflowTestCase.Expectation.value(Self.details, has: fewer))
        #expect(!WorkflowTestCase.Expectation.value(Self.details, has: reordered))
    }

    @Test func numbersCompareByValue_andAMissingKeyNeverMatches() {
        #expect(WorkflowTestCase.Expectation.value(Self.details, has: .object(Value.Object([("count", .double(4))]))))
        #expect(!WorkflowTestCase.Expectation.value(Self.details, has: .object(Value.Object([("count", .int(5))]))))
        #expect(!WorkflowTestCase.Expectation.value(Self.details, has: .object(Value.Object([("intent", .null)]))))
    }
}
