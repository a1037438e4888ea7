import Testing
@testable import Workflows

@Suite struct RegexTests {
    private func regex(_ pattern: String) throws -> SafeRegex {
        try SafeRegex.compile(pattern).get()
    }

    @Test(arguments: [
        ("abc", "xxabcxx", true),
        ("abc", "ab c", false),
        ("a.c", "abc", true),
        ("a.c", "a\nc", false),
        ("[a-c]+x", "zzbcax", true),
        ("[^0-9]", "123", false),
        ("[^0-9]", "12a", true),
        ("\\d{3}-\\d{4}", "call 555-1234 now", true),
        ("\\d{3}-\\d{4}", "call 55-1234 now", false),
        ("^\\w+$", "hello_world9", true),
        ("^\\w+$", "hello world", false),
        ("\\s", "a b", true),
        ("\\S+", "   ", false),
        ("\\D", "123", false),
        ("\\W", "abc", false),
        ("^abc", "abcdef", true),
        ("^abc", "xabc", false),
        ("def$", "abcdef", true),
        ("def$", "defx", false),
        ("^$", "", true),
        ("colou?r", "color", true),
        ("colou?r", "colour", true),
        ("(?:ab)+c", "ababc", true),
        ("(ab)+c", "acb", false),
        ("cat|dog", "hotdog", true),
        ("^(cat|dog)s?$", "cats", true),
        ("^(cat|dog)s?$", "cow", false),
        ("a{2}", "a", false),
        ("^a{2,}$", "aaaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{,2}$", "aa", true),
        ("x{", "ax{", true),
        ("\\.", "a.b", true),
        ("\\.", "ab", false),
        ("a\\\\b", "a\\b", true),
        ("[.]", "x", false),
        ("[a\\-z]", "-", true),
        ("[]a]", "]", true),
        ("\\u00e9t\\u00e9", "un été", true),
        ("a*?b", "aab", true),
        ("é+", "caféé", true),
    ])
    func matches_followsPythonSearchSemantics(pattern: String, text: String, expected: Bool) throws {
        #expect(try regex(pattern).matches(text) == expected, "\(pattern) on \(text)")
    }

    @Test func matches_withCaseInsensitiveFlag_ignoresCase() throws {
        let pattern = try regex("(?i)^refund[a-z]*\\b")
        #expect(pattern.matches("REFUNDS please"))
        #expect(pattern.matches("Refund"))
        #expect(!pattern.matches("prerefund"))
        #expect(try !regex("^refund").matches("REFUND"))
        #expect(try regex("(?i)[A-Z]").matches("q"))
        #expect(try regex("(?i)ÉTÉ").matches("été"))
    }

    @Test func matches_wordBoundaries() throws {
        #expect(try regex("\\bcat\\b").matches("a cat sat"))
        #expect(try !regex("\\bcat\\b").matches("concatenate"))
        #expect(try regex("\\Bcat\\B").matches("concatenate"))
        #expect(try regex("^(refund|chargeback)\\b").matches("chargeback request"))
        #expect(try !regex("^(refund|chargeback)\\b").matches("refunded"))
        #expect(try regex("\\bx").matches("x"))
    }

    @Test(arguments: [
        ("(a)\\1", "backreferences are not supported (they need backtracking)", 3),
        ("(?P<x>a)(?P=x)", "backreferences are not supported (they need backtracking)", 8),
        ("a(?=b)", "lookaround assertions are not supported (they need backtracking)", 1),
        ("a(?!b)", "lookaround assertions are not supported (they need backtracking)", 1),
        ("(?<=a)b", "lookaround assertions are not supported (they need backtracking)", 0),
        ("(?<!a)b", "lookaround assertions are not supported (they need backtracking)", 0),
        ("a(?i)b", "`(?i)` is only allowed at the very start of the pattern", 1),
        ("(ab", "missing `)` for this group", 0),
        ("ab)", "unbalanced `)`", 2),
        ("[ab", "missing `]` for this character class", 0),
        ("*a", "nothing to repeat before `*`", 0),
        ("a**", "a quantifier cannot follow another quantifier", 2),
        ("a{1001}", "a repetition count above 1000 is not allowed", 1),
        ("a{3,2}", "the repetition range {3,2} is backwards", 1),
        ("[z-a]", "the range `z-a` is backwards", 1),
        ("\\q", "unknown escape `\\q`", 0),
        ("((a{100}){100})", "the pattern is too large once repetitions are expanded (limit 10000 steps)", 0),
        ("ab\\", "the pattern ends with a lone `\\`", 2),
    ])
    func compile_rejectsUnsupportedOrMalformedPatterns(pattern: String, message: String, offset: Int) {
        switch SafeRegex.compile(pattern) {
        case .success: Issue.record("\(pattern) compiled")
        case .failure(let error):
            #expect(error.message == message)
            #expect(error.offset == offset, "\(pattern)")
        }
    }

    @Test func compile_withDeeplyNestedGroups_isRejected() {
        let pattern = String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)
        guard case .failure(let error) = SafeRegex.compile(pattern) else {
            Issue.record("compiled")
            return
        }
        #expect(error.message == "groups are nested more than 32 deep")
    }

    /// The NFA simulation visits each program state at most a constant number of
    /// times per character, so work grows linearly — checked by counting, not timing.
    @Test(arguments: ["(a+)+$", "^(a|a)*$", "(a*)*b", "(a|aa)+$", "^(\\w+\\s?)*$"])
    func search_onCatastrophicPattern_doesLinearWork(pattern: String) throws {
        let compiled = try regex(pattern)
        let text = String(repeating: "a", count: 100_000) + "!"
        var work = 0
        let matched = compiled.search(text, work: &work)
        #expect(!matched)
        let bound = (compiled.program.count * 3 + 3) * (text.unicodeScalars.count + 1)
        #expect(work <= bound, "work \(work) exceeds \(bound)")

        var smallWork = 0
        _ = compiled.search(String(repeating: "a", count: 1_000) + "!", work: &smallWork)
        // 100× the text costs about 100× the work, not exponentially more.
        #expect(work <= smallWork * 110)
    }

    @Test func search_beyondTextLimit_isNotExamined() throws {
        let text = String(repeating: "a", count: SafeRegex.maximumTextLength) + "needle"
        #expect(try !regex("needle").matches(text))
        #expect(try regex("needle").matches("a needle"))
    }
}
