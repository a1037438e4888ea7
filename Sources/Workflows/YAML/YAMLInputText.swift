import Core

/// The raw bytes of a YAML file, with the checks that run before libyaml sees
/// them and the mapping from byte offsets to lines and columns.
///
/// Lines and columns are counted the way libyaml counts its marks, so that
/// locations found here and locations from libyaml agree: columns are
/// characters, and CR LF, CR, LF, NEL, LS and PS each end a line.
/// A leading UTF-8 byte order mark is dropped: libyaml would count it as a
/// column, and editors do not.
struct YAMLInputText {
    let bytes: [UInt8]
    let file: String

    init(bytes: [UInt8], file: String) {
        self.bytes = ByteOrderMark.dropped(from: bytes)
        self.file = file
    }

    /// The first invalid UTF-8 sequence and the first NUL byte, if any.
    func encodingProblems() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var foundNUL = false
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0, !foundNUL {
                foundNUL = true
                problems.append(Diagnostic(
                    .nulByte, "NUL byte (0x00) is not allowed in a YAML file",
                    at: location(line, column)))
            }
            let breakLength = lineBreakLength(at: index)
            if breakLength > 0 {
                index += breakLength
                line += 1
                column = 1
                continue
            }
            switch utf8SequenceLength(at: index) {
            case .success(let length):
                index += length
                column += 1
            case .failure(let problem):
                problems.append(Diagnostic(
                    .invalidUTF8, "invalid UTF-8: \(problem.message)",
                    at: location(line, column), hint: "save the file as UTF-8"))
                return problems
            }
        }
        return problems
    }

    /// Where the byte at `offset` is; `offset` must follow valid UTF-8.
    func location(ofByteOffset offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var index = 0
        while index < min(offset, bytes.count) {
            let breakLength = lineBreakLength(at: index)
            if breakLength > 0 {
                index += breakLength
                line += 1
                column = 1
            } else {
                index += (try? utf8SequenceLength(at: index).get()) ?? 1
                column += 1
            }
        }
        return location(line, column)
    }

    /// A tab that libyaml's error on `line` (0-based, as in a libyaml mark)
    /// is most likely about: the first tab in the line's indentation, or the
    /// tab at `column` itself.
    ///
    /// The indentation includes block indicators (`- `, `? `, `: `) as a
    /// compact nested collection is indented by them.
    func offendingTab(line wantedLine: Int, column wantedColumn: Int) -> SourceLocation? {
        var line = 0
        var index = 0
        while line < wantedLine, index < bytes.count {
            let breakLength = lineBreakLength(at: index)
            if breakLength > 0 {
                line += 1
                index += breakLength
            } else {
                index += 1
            }
        }
        guard line == wantedLine else { return nil }
        var inIndentation = true
        var column = 0
        while index < bytes.count, lineBreakLength(at: index) == 0 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\t"), inIndentation || column == wantedColumn {
                return location(wantedLine + 1, column + 1)
            }
            if column >= wantedColumn, !inIndentation { return nil }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                break
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                if next != UInt8(ascii: " "), next != UInt8(ascii: "\t") { inIndentation = false }
            default:
                inIndentation = false
            }
            index += (try? utf8SequenceLength(at: index).get()) ?? 1
            column += 1
        }
        return nil
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// Bytes of the line break at `index`, or 0 when there is none.
    private func lineBreakLength(at index: Int) -> Int {
        func byte(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }
        switch bytes[index] {
        case 0x0A: return 1
        case 0x0D: return byte(1) == 0x0A ? 2 : 1
        case 0xC2: return byte(1) == 0x85 ? 2 : 0
        case 0xE2: return byte(1) == 0x80 && (byte(2) == 0xA8 || byte(2) == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    private enum UTF8Problem: Error {
        case strayContinuation(UInt8)
        case truncated(UInt8)
        case overlong(UInt8)
        case surrogate
        case beyondUnicode(UInt8)
        case impossibleByte(UInt8)

        var message: String {
            switch self {
            case .strayContinuation(let byte): "continuation byte \(hex(byte)) without a lead byte"
            case .truncated(let byte): "sequence starting with byte \(hex(byte)) is cut short"
            case .overlong(let byte): "overlong encoding starting with byte \(hex(byte))"
            case .surrogate: "encoded UTF-16 surrogate"
            case .beyondUnicode(let byte): "sequence starting with byte \(hex(byte)) is beyond U+10FFFF"
            case .impossibleByte(let byte): "byte \(hex(byte)) never appears in UTF-8"
            }
        }

        private func hex(_ byte: UInt8) -> String {
            let digits = String(byte, radix: 16, uppercase: true)
            return "0x" + (digits.count == 1 ? "0" : "") + digits
        }
    }

    /// The length of the well-formed UTF-8 sequence at `index` (Unicode 15,
    /// table 3-7), or why it is not one.
    private func utf8SequenceLength(at index: Int) -> Result<Int, UTF8Problem> {
        let lead = bytes[index]
        let length: Int
        // The valid range of the second byte; later bytes are always 80...BF.
        let second: ClosedRange<UInt8>
        switch lead {
        case 0x00...0x7F: return .success(1)
        case 0x80...0xBF: return .failure(.strayContinuation(lead))
        case 0xC0, 0xC1: return .failure(.overlong(lead))
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xE1...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return .failure(.impossibleByte(lead))
        }
        for offset in 1..<length {
            guard index + offset < bytes.count, (0x80...0xBF).contains(bytes[index + offset]) else {
                return .failure(.truncated(lead))
            }
        }
        guard second.contains(bytes[index + 1]) else {
            switch lead {
            case 0xE0, 0xF0: return .failure(.overlong(lead))
            case 0xED: return .failure(.surrogate)
            default: return .failure(.beyondUnicode(lead))
            }
        }
        return .success(length)
    }
}
