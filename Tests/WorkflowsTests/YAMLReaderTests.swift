import Core
import Testing
import Workflows

// MARK: - Helpers

private func read(_ text: String, limits: YAMLLimits = .default) throws(DiagnosticsError) -> YAMLNode {
    try YAMLReader.read(Array(text.utf8), file: "w.yaml", limits: limits)
}

/// The diagnostics reading `bytes` throws; empty when it succeeds.
private func problems(_ bytes: [UInt8], limits: YAMLLimits = .default) -> [Diagnostic] {
    do {
        _ = try YAMLReader.read(bytes, file: "w.yaml", limits: limits)
        return []
    } catch {
        return error.diagnostics
    }
}

private func problems(_ text: String, limits: YAMLLimits = .default) -> [Diagnostic] {
    problems(Array(text.utf8), limits: limits)
}

/// The rendered diagnostics, one string each.
private func rendered(_ text: String, limits: YAMLLimits = .default) -> [String] {
    problems(text, limits: limits).map(\.description)
}

private func rendered(_ bytes: [UInt8]) -> [String] {
    problems(bytes).map(\.description)
}

private func at(_ line: Int, _ column: Int) -> Core.SourceLocation {
    Core.SourceLocation(file: "w.yaml", line: line, column: column)
}

/// Nine levels of ten aliases each: a billion scalars once expanded.
private let billionLaughs: String = {
    var lines = ["a: &a [" + Array(repeating: "\"lol\"", count: 10).joined(separator: ",") + "]"]
    let names = Array("abcdefghi").map(String.init)
    for (previous, name) in zip(names, names.dropFirst()) {
        lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ",") + "]")
    }
    return lines.joined(separator: "\n") + "\n"
}()

// MARK: - Alias bombs

@Test func read_whenBillionLaughs_refusesAtFirstOversizedAlias() {
    // Line 5 is `e: &e [*d,…]`; `d` holds 11,111 nodes.
    #expect(rendered(billionLaughs) == [
        "w.yaml:5:8: error[E0106]: alias *d would copy 11111 nodes; one alias may copy at most 10000",
    ])
}

@Test func read_whenBillionLaughsWithGenerousAliasLimits_nodeBudgetStopsIt() {
    // With the per-alias and alias-count caps out of the way, only the total
    // node budget stands between the reader and 10^9 nodes: passing at all
    // proves nothing was expanded past it.
    let limits = YAMLLimits(maxAliases: 1_000, maxNodesPerAlias: 1_000_000_000)
    let found = problems(billionLaughs, limits: limits)
    #expect(found.map(\.code) == [.yamlTooManyNodes])
    // 12,351 nodes before `e`'s list; the eighth `*d` (column 29) passes 100,000.
    #expect(found.first?.location == at(5, 29))
    #expect(found.first?.message == "document has more than 100000 nodes with aliases expanded")
}

@Test func read_whenAliasFanOutIsWide_refusesTooManyAliases() {
    let text = "a: &a x\nb: [" + Array(repeating: "*a", count: 10_000).joined(separator: ", ") + "]\n"
    // The 51st alias starts at column 5 + 50 * 4.
    #expect(rendered(text) == ["w.yaml:2:205: error[E0105]: more than 50 aliases in one document"])
}

@Test func read_whenAliasesWithinBudget_copiesTheAnchoredNode() throws {
    let root = try read("""
        base: &base
          retries: 3
          tags: [a, b]
        first: *base
        second: *base
        """)
    let pairs = try #require(root.pairs)
    #expect(pairs.map { $0.key.scalarText } == ["base", "first", "second"])
    #expect(pairs[1].value.kind == pairs[0].value.kind)
    #expect(pairs[2].value.kind == pairs[0].value.kind)
    // The copy is located at the alias; what is inside it at the anchor's original.
    #expect(pairs[1].value.location == at(4, 8))
    #expect(pairs[1].value.value(forKey: "retries")?.location == at(2, 12))
    #expect(root.jsonValue()["second"] == ["retries": 3, "tags": ["a", "b"]])
}

@Test func read_whenAliasCountIsAtTheLimit_accepts() throws {
    let text = "a: &a x\nb: [" + Array(repeating: "*a", count: 50).joined(separator: ", ") + "]\n"
    let root = try read(text)
    #expect(root.value(forKey: "b")?.items?.count == 50)
}

@Test func read_whenAliasIsUnknown_refusesWithItsLocation() {
    #expect(rendered("a: 1\nb: *missing\n") == [
        "w.yaml:2:4: error[E0107]: unknown alias *missing; no anchor &missing is defined before it",
    ])
}

@Test func read_whenAliasIsUsedBeforeItsAnchor_refuses() {
    #expect(problems("a: *x\nb: &x 1\n").map(\.code) == [.yamlUnknownAlias])
}

@Test func read_whenAliasRefersToItsOwnContainer_refuses() {
    #expect(rendered("a: &x [1, *x]\n") == [
        "w.yaml:1:11: error[E0107]: alias *x refers to a node that contains it",
    ])
}

// MARK: - Nesting depth

@Test func read_whenFlowNestingIsMillionDeep_refusesAtDepthLimit() {
    let text = String(repeating: "[", count: 1_000_000)
    // Had the whole input been parsed, libyaml would have run for minutes.
    #expect(rendered(text) == ["w.yaml:1:65: error[E0104]: nesting is deeper than 64 levels"])
}

@Test func read_whenBlockNestingIs100000Deep_refusesAtDepthLimit() {
    let text = String(repeating: "- ", count: 100_000) + "x\n"
    #expect(rendered(text) == ["w.yaml:1:129: error[E0104]: nesting is deeper than 64 levels"])
}

@Test func read_whenNestingIsExactlyAtLimit_accepts() throws {
    let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    var node = try read(text)
    var depth = 0
    while let items = node.items {
        depth += 1
        guard let first = items.first else { break }
        node = first
    }
    #expect(depth == 64)
    let deeper = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(problems(deeper).map(\.code) == [.yamlTooDeep])
}

@Test func read_whenMappingsNestDeeperThanConfiguredLimit_refusesAtTheStartOfTheDeepest() {
    let text = "a:\n  b:\n    c:\n      d: 1\n"
    let found = problems(text, limits: YAMLLimits(maxNestingDepth: 3))
    #expect(found.map(\.code) == [.yamlTooDeep])
    #expect(found.first?.location == at(4, 7))
}

// MARK: - Node and size budgets

@Test func read_whenNodesPassTheBudget_refuses() {
    let limits = YAMLLimits(maxTotalNodes: 5)
    #expect(problems("[1, 2, 3, 4]", limits: limits).isEmpty)
    #expect(rendered("[1, 2, 3, 4, 5]", limits: limits) == [
        "w.yaml:1:14: error[E0111]: document has more than 5 nodes with aliases expanded",
    ])
}

@Test func read_whenInputIsOverSizeCap_refusesBeforeParsing() {
    // Invalid YAML and invalid UTF-8 after the cap: neither is looked at.
    let bytes = Array(repeating: UInt8(ascii: "#"), count: 1 << 20) + [0xFF, UInt8(ascii: "[")]
    #expect(rendered(bytes) == ["w.yaml:1:1: error[E0002]: file is 1048578 bytes; the limit is 1048576 bytes"])
}

@Test func read_whenInputIsExactlyAtSizeCap_parses() {
    let bytes = Array("a: 1\n#".utf8) + Array(repeating: UInt8(ascii: "#"), count: (1 << 20) - 6)
    #expect(bytes.count == 1 << 20)
    #expect(problems(bytes).isEmpty)
}

// MARK: - Tags

@Test(arguments: [
    ("a: !!python/object:os.system ls\n", "w.yaml:1:4: error[E0108]: explicit tag !!python/object:os.system is not allowed"),
    ("a: !!python/object/apply:os.system [ls]\n", "w.yaml:1:4: error[E0108]: explicit tag !!python/object/apply:os.system is not allowed"),
    ("a: !include other.yaml\n", "w.yaml:1:4: error[E0108]: explicit tag !include is not allowed"),
    ("a: !!str 5\n", "w.yaml:1:4: error[E0108]: explicit tag !!str is not allowed"),
    ("a: !!int \"5\"\n", "w.yaml:1:4: error[E0108]: explicit tag !!int is not allowed"),
    ("a: !!binary aGVsbG8=\n", "w.yaml:1:4: error[E0108]: explicit tag !!binary is not allowed"),
    ("a: ! x\n", "w.yaml:1:4: error[E0108]: explicit tag ! is not allowed"),
    ("a: !<tag:example.com,2000:x> 1\n", "w.yaml:1:4: error[E0108]: explicit tag !<tag:example.com,2000:x> is not allowed"),
    ("a: !!map {b: 1}\n", "w.yaml:1:4: error[E0108]: explicit tag !!map is not allowed"),
    ("a: !!seq [1]\n", "w.yaml:1:4: error[E0108]: explicit tag !!seq is not allowed"),
    ("a:\n  - !!set\n    ? x\n", "w.yaml:2:5: error[E0108]: explicit tag !!set is not allowed"),
    ("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", "w.yaml:3:4: error[E0108]: explicit tag !<tag:example.com,2000:x> is not allowed"),
    ("!!map\nb: 1\n", "w.yaml:1:1: error[E0108]: explicit tag !!map is not allowed"),
])
func read_whenNodeHasExplicitTag_refusesAtTheTag(text: String, expected: String) {
    let hint = "; remove the tag; quote the value if it should be a string"
    #expect(rendered(text) == [expected + hint])
}

@Test func read_whenSeveralTagsAppear_reportsEach() {
    let found = problems("a: !!str 1\nb: !x 2\n")
    #expect(found.map(\.code) == [.yamlExplicitTag, .yamlExplicitTag])
    #expect(found.map(\.location) == [at(1, 4), at(2, 4)])
}

// MARK: - Keys

@Test func read_whenTopLevelKeyIsRepeated_refusesAtSecondOccurrence() {
    #expect(rendered("on: push\nname: x\non: pull\n") == [
        "w.yaml:3:1: error[E0109]: duplicate key \"on\"; first defined at line 1",
    ])
}

@Test func read_whenFlowKeyIsRepeated_pointsAtTheColumn() {
    #expect(rendered("{on: push,\n x: 1,\n    on: pull}") == [
        "w.yaml:3:5: error[E0109]: duplicate key \"on\"; first defined at line 1",
    ])
}

@Test func read_whenKeysRepeatInSeveralMappings_reportsEveryOne() {
    let text = """
        name: a
        steps:
          - id: one
            id: two
          - with:
              x: 1
              y: 2
              x: 3
        name: b
        """
    #expect(rendered(text) == [
        "w.yaml:4:5: error[E0109]: duplicate key \"id\"; first defined at line 3",
        "w.yaml:8:7: error[E0109]: duplicate key \"x\"; first defined at line 6",
        "w.yaml:9:1: error[E0109]: duplicate key \"name\"; first defined at line 1",
    ])
}

@Test func read_whenQuotedAndPlainKeysHaveTheSameText_treatsThemAsDuplicates() {
    // Both would become the same JSON key.
    #expect(problems("a: 1\n\"a\": 2\n").map(\.code) == [.yamlDuplicateKey])
}

@Test func read_whenSameKeyIsInDifferentMappings_accepts() {
    #expect(problems("a: {x: 1}\nb: {x: 2}\n").isEmpty)
}

@Test func read_whenKeyIsASequence_refusesComplexKey() {
    #expect(rendered("[a, b]: 1\n") == ["w.yaml:1:1: error[E0112]: a mapping key must be a scalar, not a sequence"])
}

@Test func read_whenExplicitKeyIsAMapping_refusesComplexKey() {
    #expect(rendered("x: 1\n? {a: 1}\n: 2\n") == [
        "w.yaml:2:3: error[E0112]: a mapping key must be a scalar, not a mapping",
    ])
}

@Test func read_whenAliasOfASequenceIsUsedAsKey_refusesComplexKey() {
    let found = problems("a: &s [1]\n*s : x\n")
    #expect(found.map(\.code) == [.yamlComplexKey])
    #expect(found.first?.location == at(2, 1))
}

@Test func read_whenMergeKeyIsUsed_refusesIt() {
    #expect(rendered("base: &b {x: 1}\njob:\n  <<: *b\n  y: 2\n") == [
        "w.yaml:3:3: error[E0101]: merge keys (<<) are not supported; write the keys out in full",
    ])
}

@Test func read_whenQuotedKeyIsTwoAngleBrackets_acceptsItAsText() throws {
    let root = try read("\"<<\": x\n")
    #expect(root.value(forKey: "<<")?.scalarText == "x")
}

// MARK: - Encoding

@Test func read_whenLoneContinuationByte_pointsAtIt() {
    #expect(rendered(Array("a: 1\nbé: ".utf8) + [0x80, 0x0A]) == [
        "w.yaml:2:5: error[E0003]: invalid UTF-8: continuation byte 0x80 without a lead byte; save the file as UTF-8",
    ])
}

@Test func read_whenSequenceIsTruncated_pointsAtItsLeadByte() {
    #expect(rendered(Array("a: ".utf8) + [0xE2, 0x82, 0x0A]) == [
        "w.yaml:1:4: error[E0003]: invalid UTF-8: sequence starting with byte 0xE2 is cut short; save the file as UTF-8",
    ])
}

@Test func read_whenSequenceIsTruncatedAtEndOfFile_pointsAtItsLeadByte() {
    #expect(problems(Array("a: ".utf8) + [0xF0, 0x9F, 0x98]).map(\.location) == [at(1, 4)])
}

@Test func read_whenEncodingIsOverlong_refuses() {
    // 0xC0 0xAF is an overlong "/", 0xE0 0x80 0xAF a longer one.
    #expect(rendered(Array("x: ".utf8) + [0xC0, 0xAF]) == [
        "w.yaml:1:4: error[E0003]: invalid UTF-8: overlong encoding starting with byte 0xC0; save the file as UTF-8",
    ])
    #expect(rendered(Array("x:\n  - ".utf8) + [0xE0, 0x80, 0xAF]) == [
        "w.yaml:2:5: error[E0003]: invalid UTF-8: overlong encoding starting with byte 0xE0; save the file as UTF-8",
    ])
}

@Test func read_whenEncodingIsSurrogateOrBeyondUnicode_refuses() {
    #expect(problems(Array("x: ".utf8) + [0xED, 0xA0, 0x80]).first?.message == "invalid UTF-8: encoded UTF-16 surrogate")
    #expect(problems(Array("x: ".utf8) + [0xF4, 0x90, 0x80, 0x80]).first?.message
        == "invalid UTF-8: sequence starting with byte 0xF4 is beyond U+10FFFF")
    #expect(problems(Array("x: ".utf8) + [0xFF]).first?.message == "invalid UTF-8: byte 0xFF never appears in UTF-8")
}

@Test func read_whenFileIsUTF16_refusesAsInvalidUTF8() {
    let found = problems([0xFF, 0xFE, 0x61, 0x00])
    #expect(found.first?.code == .invalidUTF8)
    #expect(found.first?.location == at(1, 1))
}

@Test func read_whenInputHasNULByte_refuses() {
    #expect(rendered(Array("a: 1\nb: x".utf8) + [0x00] + Array("y\n".utf8)) == [
        "w.yaml:2:5: error[E0004]: NUL byte (0x00) is not allowed in a YAML file",
    ])
}

@Test func read_whenInputHasNULAndInvalidUTF8_reportsBoth() {
    let found = problems(Array("a".utf8) + [0x00] + Array(": ".utf8) + [0xE2, 0x82])
    #expect(found.map(\.code) == [.nulByte, .invalidUTF8])
    #expect(found.map(\.location) == [at(1, 2), at(1, 5)])
}

@Test func read_whenInputHasControlCharacter_refusesWithLibYAMLReason() {
    #expect(rendered(Array("a: 1\nb: ".utf8) + [0x01, 0x0A]) == [
        "w.yaml:2:4: error[E0101]: invalid YAML: control characters are not allowed (U+0001)",
    ])
}

@Test func read_whenFileStartsWithByteOrderMark_countsColumnsWithoutIt() throws {
    let root = try YAMLReader.read([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "w.yaml")
    #expect(root.location == at(1, 1))
    #expect(root.value(forKey: "a")?.location == at(1, 4))
}

// MARK: - Tabs

@Test func read_whenLineIsIndentedWithTab_explainsTabs() {
    #expect(rendered("on:\n\tpush: x\n") == [
        "w.yaml:2:1: error[E0102]: tabs are not allowed for indentation; use spaces",
    ])
}

@Test func read_whenTabFollowsSpacesInIndentation_pointsAtTheTab() {
    #expect(rendered("a:\n  b: 1\n  \tc: 2\n") == [
        "w.yaml:3:3: error[E0102]: tabs are not allowed for indentation; use spaces",
    ])
}

@Test func read_whenTabFollowsSequenceDash_explainsTabs() {
    #expect(problems("steps:\n  -\tid: one\n").map(\.location) == [at(2, 4)])
    #expect(problems("steps:\n  -\tid: one\n").map(\.code) == [.yamlTab])
}

@Test func read_whenBlockScalarIsIndentedWithTab_explainsTabs() {
    #expect(problems("run: |\n\techo hi\n").map(\.code) == [.yamlTab])
}

@Test func read_whenTabsAreInContentOrFlowOrSeparation_accepts() throws {
    let root = try read("script: |\n  make\n  \tindented\nlist: [1,\n\t2]\nkey:\tvalue\n")
    #expect(root.value(forKey: "script")?.scalarText == "make\n\tindented\n")
    #expect(root.value(forKey: "list")?.items?.count == 2)
    #expect(root.value(forKey: "key")?.scalarText == "value")
}

// MARK: - Documents and syntax

@Test func read_whenFileHasTwoDocuments_refusesAtTheSecond() {
    #expect(rendered("a: 1\n---\nb: 2\n") == [
        "w.yaml:2:1: error[E0103]: only one document per file; a second document starts here; put each document in its own file",
    ])
}

@Test func read_whenDocumentEndMarkerIsFollowedByAnother_refuses() {
    let found = problems("---\na: 1\n...\n---\nb: 2\n")
    #expect(found.map(\.code) == [.yamlMultipleDocuments])
    #expect(found.first?.location == at(4, 1))
    // libyaml itself only says it "did not find expected <document start>".
    #expect(rendered("a: 1\n...\nb: 2\n") == [
        "w.yaml:3:1: error[E0103]: only one document per file; a second document starts here; put each document in its own file",
    ])
}

@Test func read_whenSingleDocumentHasMarkers_accepts() throws {
    let root = try read("---\na: 1\n...\n")
    #expect(root.jsonValue() == ["a": 1])
}

@Test func read_whenFileIsEmptyOrOnlyComments_reportsEmptyDocument() {
    #expect(rendered("") == ["w.yaml:1:1: error[E0110]: file contains no YAML document"])
    #expect(rendered("# nothing here\n\n") == ["w.yaml:1:1: error[E0110]: file contains no YAML document"])
}

@Test func read_whenFileIsOnlyAByteOrderMark_reportsEmptyDocument() {
    #expect(problems([0xEF, 0xBB, 0xBF]).map(\.code) == [.yamlEmptyDocument])
}

@Test func read_whenDocumentHasNoContent_reportsEmptyDocument() {
    #expect(rendered("# header\n---\n") == ["w.yaml:3:1: error[E0110]: document is empty"])
}

@Test func read_whenDocumentIsExplicitNull_returnsIt() throws {
    let root = try read("~\n")
    #expect(root.jsonValue() == .null)
}

@Test func read_whenQuoteIsUnterminated_translatesLibYAMLError() {
    #expect(rendered("a: \"open\nb: 1\n") == [
        "w.yaml:3:1: error[E0101]: invalid YAML: found unexpected end of stream (while scanning a quoted scalar that started at line 1, column 4)",
    ])
}

@Test func read_whenFlowSequenceIsUnclosed_translatesLibYAMLError() {
    #expect(rendered("a: [1, 2\nb: 3\n") == [
        "w.yaml:2:2: error[E0101]: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that started at line 1, column 4)",
    ])
}

@Test func read_whenColonIsInsidePlainValue_translatesLibYAMLError() {
    #expect(rendered("a: b: c\n") == ["w.yaml:1:5: error[E0101]: invalid YAML: mapping values are not allowed in this context"])
}

@Test func read_whenDuplicateKeyPrecedesSyntaxError_reportsBothInOrder() {
    let found = problems("a: 1\na: 2\nb: [\n")
    #expect(found.map(\.code) == [.yamlDuplicateKey, .yamlSyntax])
}

// MARK: - Tree shape and locations

@Test func read_whenNested_recordsOneBasedStartOfEveryNode() throws {
    let root = try read("""
        name: triage
        on:
          ticket.created:
            if: ticket.priority == "urgent"
        steps:
          - id: tag
            with: {tags: [vip, "a b"]}
        """)
    #expect(root.location == at(1, 1))
    #expect(root.kindName == "mapping")
    let steps = try #require(root.value(forKey: "steps"))
    #expect(steps.location == at(6, 3))
    #expect(steps.kindName == "sequence")
    let step = try #require(steps.items?.first)
    #expect(step.location == at(6, 5))
    let tags = try #require(step.value(forKey: "with")?.value(forKey: "tags"))
    #expect(tags.location == at(7, 18))
    #expect(tags.items?.map(\.location) == [at(7, 19), at(7, 24)])
    let condition = try #require(root.value(forKey: "on")?.value(forKey: "ticket.created")?.value(forKey: "if"))
    #expect(condition.location == at(4, 9))
    #expect(condition.kindName == "scalar")
    #expect(condition.scalarText == "ticket.priority == \"urgent\"")
    #expect(root.pairs?.map(\.key.location) == [at(1, 1), at(2, 1), at(5, 1)])
}

@Test func read_whenScalarsUseEveryStyle_recordsStyleAndText() throws {
    let root = try read("""
        plain: some text
        single: 'it''s'
        double: "tab\\there"
        literal: |
          line one
          line two
        folded: >
          line one
          line two
        """)
    func scalar(_ key: String) -> YAMLNode.Kind? { root.value(forKey: key)?.kind }
    #expect(scalar("plain") == .scalar("some text", style: .plain))
    #expect(scalar("single") == .scalar("it's", style: .singleQuoted))
    #expect(scalar("double") == .scalar("tab\there", style: .doubleQuoted))
    #expect(scalar("literal") == .scalar("line one\nline two\n", style: .literal))
    // Clip chomping: no line break follows the last line of this input.
    #expect(scalar("folded") == .scalar("line one line two", style: .folded))
    #expect(root.value(forKey: "plain")?.isPlainScalar == true)
    #expect(root.value(forKey: "single")?.isPlainScalar == false)
}

@Test func read_whenBlockScalarsUseChomping_keepsTextAsLibYAMLFoldsIt() throws {
    let root = try read("strip: |-\n  a\n  b\n\nkeep: |+\n  a\n\nfold: >-\n  a\n  b\n\n  c\n")
    #expect(root.value(forKey: "strip")?.scalarText == "a\nb")
    #expect(root.value(forKey: "keep")?.scalarText == "a\n\n")
    #expect(root.value(forKey: "fold")?.scalarText == "a b\nc")
    #expect(root.value(forKey: "strip")?.jsonValue() == "a\nb")
}

@Test func read_whenMappingOrderMatters_keepsItInPairsAndJSON() throws {
    let root = try read("z: 1\na: 2\nm: 3\n")
    #expect(root.pairs?.compactMap(\.key.scalarText) == ["z", "a", "m"])
    #expect(root.jsonValue().objectValue?.keys == ["z", "a", "m"])
}

// MARK: - Core schema

@Test func jsonValue_whenScalarIsNoOrOn_keepsTheString() throws {
    let root = try read("answer: no\non: push\nothers: [yes, off, Y, n]\n")
    #expect(root.jsonValue() == ["answer": "no", "on": "push", "others": ["yes", "off", "Y", "n"]])
}

@Test func jsonValue_whenPlainScalars_followsCoreSchema() throws {
    let root = try read("""
        nulls: [null, Null, NULL, ~]
        empty:
        bools: [true, True, TRUE, false, False, FALSE]
        ints: [0, 42, -7, +3, 0o17, 0x1F, 007]
        doubles: [1.5, -0.25, .5, 1., 1e3, 2.5E-2, .inf, -.Inf]
        strings: [nULL, tRUE, 1_000, 0b101, 1.2.3, 0x, 12:30, 0o8, 1e, -, '']
        """)
    let value = root.jsonValue()
    #expect(value["nulls"] == [nil, nil, nil, nil])
    #expect(value["empty"] == .null)
    #expect(value["bools"] == [true, true, true, false, false, false])
    #expect(value["ints"] == [0, 42, -7, 3, 15, 31, 7])
    #expect(value["doubles"] == [1.5, -0.25, 0.5, 1.0, 1000.0, 0.025, .double(.infinity), .double(-.infinity)])
    #expect(value["strings"] == ["nULL", "tRUE", "1_000", "0b101", "1.2.3", "0x", "12:30", "0o8", "1e", "-", ""])
}

@Test func jsonValue_whenNumberIsNaNOrHuge_givesDouble() throws {
    let root = try read("[.nan, 123456789012345678901234567890]")
    let items = try #require(root.jsonValue().arrayValue)
    #expect(items[0].doubleValue?.isNaN == true)
    #expect(items[1] == .double(try #require(Double("123456789012345678901234567890"))))
}

@Test func jsonValue_whenScalarIsQuotedOrBlock_isAlwaysString() throws {
    let root = try read("a: \"5\"\nb: 'true'\nc: \"\"\nd: |\n  null\ne: \"~\"\n")
    #expect(root.jsonValue() == ["a": "5", "b": "true", "c": "", "d": "null\n", "e": "~"])
}

@Test func jsonValue_whenKeysAreNumbers_usesTheirText() throws {
    let root = try read("1: one\ntrue: yes\n")
    #expect(root.jsonValue() == ["1": "one", "true": "yes"])
}

@Test func limits_default_matchesDocumentedCaps() {
    let limits = YAMLLimits.default
    #expect(limits.maxInputBytes == 1_048_576)
    #expect(limits.maxNestingDepth == 64)
    #expect(limits.maxAliases == 50)
    #expect(limits.maxTotalNodes == 100_000)
    #expect(limits.maxNodesPerAlias == 10_000)
}
