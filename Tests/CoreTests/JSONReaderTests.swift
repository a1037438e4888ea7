import Core
import Testing

@Suite struct JSONReaderTests {
    @Test func read_keepsKeyOrderAndIntegerness() throws {
        let value = try JSONReader.read(#"{"b": 1, "a": 2.5, "c": [true, null, "x"]}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["b"] == .int(1))
        #expect(value["a"] == .double(2.5))
        #expect(value["c"] == [true, nil, "x"])
    }

    @Test func read_decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONReader.read(#""a\"b\\c\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c\né😀"))
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 9, "expected a string key"),
        (#"{"a" 1}"#, 6, "expected ':' after key"),
        (#"{"a": tru}"#, 7, "invalid literal"),
        (#"[1, 2"#, 6, "unexpected end of input; expected ',' or ']'"),
        (#"{"a": 01}"#, 7, "leading zeros are not allowed"),
        (#"{"a": 1, "a": 2}"#, 10, "duplicate key \"a\""),
        (#""abc"#, 1, "unterminated string"),
        (#"{"a": "\x"}"#, 8, "invalid escape '\\x'"),
        (#"{} {}"#, 4, "unexpected text after the JSON value"),
        (#""\ud800""#, 8, "unpaired surrogate in \\u escape"),
    ])
    func read_whenMalformed_reportsColumnAndReason(input: String, column: Int, message: String) {
        #expect(throws: JSONReader.Error(column: column, message: message)) { try JSONReader.read(input) }
    }

    @Test func read_whenNestedTooDeep_refuses() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONReader.Error.self) { try JSONReader.read(deep) }
    }

    @Test func writer_roundTripsThroughReader() throws {
        let original: Value = ["text": "line\nbreak \"quoted\" \u{1}", "n": 3, "d": 0.5, "list": [1, "two", nil], "flag": false]
        let text = JSONWriter.string(original)
        #expect(try JSONReader.read(text) == original)
    }
}
