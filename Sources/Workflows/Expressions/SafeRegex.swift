/// A compiled `matches` pattern that runs in time linear in the text.
///
/// The pattern becomes a Thompson NFA, simulated one text position at a time
/// with every live state kept in a set (no backtracking), so `(a+)+$` costs
/// the same per character as `a`. Search is unanchored, like Python's
/// `re.search`. Only the first `maximumTextLength` Unicode scalars of a text
/// are examined.
public struct SafeRegex: Sendable {
    /// Programs above this many instructions are rejected (counted repetition
    /// is expanded, so `(a{100}){100}` is large).
    public static let maximumProgramSize = 10_000
    /// 1 Mi scalars: text beyond this is not examined.
    public static let maximumTextLength = 1 << 20

    enum Instruction: Sendable {
        case scalar(Unicode.Scalar)
        case anyExceptNewline
        case set(Int)
        case textStart
        case textEnd
        case wordBoundary
        case notWordBoundary
        case split(Int, Int)
        case jump(Int)
        case match
    }

    public let pattern: String
    public let ignoresCase: Bool
    let program: [Instruction]
    let sets: [SafeRegexCharacterSet]
    /// Starts with `^`: a thread can only start at position 0.
    let anchoredAtStart: Bool

    public static func compile(_ pattern: String) -> Result<SafeRegex, SafeRegexError> {
        var parser = SafeRegexParser(pattern)
        let syntax: SafeRegexSyntax
        do {
            syntax = try parser.parse()
        } catch {
            return .failure(error)
        }
        guard syntax.programSize < maximumProgramSize else {
            return .failure(SafeRegexError(
                "the pattern is too large once repetitions are expanded (limit \(maximumProgramSize) steps)", at: 0))
        }
        var compiler = Compiler(ignoresCase: parser.ignoresCase)
        compiler.emit(syntax)
        compiler.program.append(.match)
        let anchored: Bool
        if case .textStart = compiler.program[0] { anchored = true } else { anchored = false }
        return .success(SafeRegex(
            pattern: pattern, ignoresCase: parser.ignoresCase, program: compiler.program, sets: compiler.sets,
            anchoredAtStart: anchored))
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        var work = 0
        return search(text, work: &work)
    }

    /// The search itself; `work` counts NFA state visits so tests can prove
    /// the cost is bounded by program size × text length.
    func search(_ text: String, work: inout Int) -> Bool {
        let size = program.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: size * 5 + 2) { buffer in
            buffer.initialize(repeating: 0)
            let marks = UnsafeMutableBufferPointer(rebasing: buffer[0..<size])
            var current = UnsafeMutableBufferPointer(rebasing: buffer[size..<(2 * size)])
            var next = UnsafeMutableBufferPointer(rebasing: buffer[(2 * size)..<(3 * size)])
            // Each instruction pushes at most two successors, so pushes stay below 2 × size + 1.
            let stack = UnsafeMutableBufferPointer(rebasing: buffer[(3 * size)..<(5 * size + 2)])
            var currentCount = 0
            var generation: Int32 = 1

            var scalars = text.unicodeScalars.makeIterator()
            var previous: Unicode.Scalar?
            var upcoming = scalars.next()
            var position = 0

            // Follows jumps, splits and assertions from `start`, adding the
            // consuming instructions reached to `list`. True when `match` is reached.
            func addClosure(_ start: Int, to list: UnsafeMutableBufferPointer<Int32>, count: inout Int) -> Bool {
                var depth = 0
                stack[0] = Int32(start)
                depth = 1
                while depth > 0 {
                    depth -= 1
                    let pc = Int(stack[depth])
                    work += 1
                    if marks[pc] == generation { continue }
                    marks[pc] = generation
                    switch program[pc] {
                    case .match:
                        return true
                    case .jump(let target):
                        stack[depth] = Int32(target)
                        depth += 1
                    case .split(let first, let second):
                        stack[depth] = Int32(second)
                        stack[depth + 1] = Int32(first)
                        depth += 2
                    case .textStart:
                        if position == 0 { stack[depth] = Int32(pc + 1); depth += 1 }
                    case .textEnd:
                        if upcoming == nil { stack[depth] = Int32(pc + 1); depth += 1 }
                    case .wordBoundary, .notWordBoundary:
                        let before = previous.map(SafeRegexCharacterSet.isWord) ?? false
                        let after = upcoming.map(SafeRegexCharacterSet.isWord) ?? false
                        let boundary = before != after
                        if case .wordBoundary = program[pc], boundary { stack[depth] = Int32(pc + 1); depth += 1 }
                        if case .notWordBoundary = program[pc], !boundary { stack[depth] = Int32(pc + 1); depth += 1 }
                    case .scalar, .anyExceptNewline, .set:
                        list[count] = Int32(pc)
                        count += 1
                    }
                }
                return false
            }

            if addClosure(0, to: current, count: &currentCount) { return true }
            while let scalar = upcoming {
                if position >= SafeRegex.maximumTextLength { return false }
                let folded = ignoresCase ? SafeRegexCharacterSet.lowercase(scalar) : scalar
                previous = scalar
                upcoming = scalars.next()
                position += 1
                generation += 1
                var nextCount = 0
                for index in 0..<currentCount {
                    let pc = Int(current[index])
                    let accepted: Bool
                    switch program[pc] {
                    case .scalar(let expected): accepted = folded == expected
                    case .anyExceptNewline: accepted = scalar != "\n"
                    case .set(let set): accepted = sets[set].contains(scalar, ignoringCase: ignoresCase)
                    default: accepted = false
                    }
                    if accepted, addClosure(pc + 1, to: next, count: &nextCount) { return true }
                }
                if !anchoredAtStart, addClosure(0, to: next, count: &nextCount) { return true }
                if nextCount == 0, anchoredAtStart { return false }
                swap(&current, &next)
                currentCount = nextCount
            }
            return false
        }
    }

    /// Lays out instructions; targets are absolute instruction indexes.
    private struct Compiler {
        let ignoresCase: Bool
        var program: [Instruction] = []
        var sets: [SafeRegexCharacterSet] = []

        mutating func emit(_ syntax: SafeRegexSyntax) {
            switch syntax {
            case .empty:
                break
            case .scalar(let scalar):
                program.append(.scalar(ignoresCase ? SafeRegexCharacterSet.lowercase(scalar) : scalar))
            case .anyExceptNewline:
                program.append(.anyExceptNewline)
            case .set(let set):
                sets.append(set)
                program.append(.set(sets.count - 1))
            case .textStart: program.append(.textStart)
            case .textEnd: program.append(.textEnd)
            case .wordBoundary: program.append(.wordBoundary)
            case .notWordBoundary: program.append(.notWordBoundary)
            case .concatenation(let items):
                for item in items { emit(item) }
            case .alternation(let branches):
                var exits: [Int] = []
                for (index, branch) in branches.enumerated() {
                    if index < branches.count - 1 {
                        let split = program.count
                        program.append(.split(0, 0))
                        emit(branch)
                        exits.append(program.count)
                        program.append(.jump(0))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        emit(branch)
                    }
                }
                for exit in exits { program[exit] = .jump(program.count) }
            case .repetition(let item, let minimum, let maximum):
                for _ in 0..<minimum { emit(item) }
                if let maximum {
                    // Nested optionals: x{0,3} is (x(x(x)?)?)?; all exits go to the end.
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(program.count)
                        program.append(.split(0, 0))
                        emit(item)
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.split(0, 0))
                    emit(item)
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }
}
