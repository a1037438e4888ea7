/// Writes `Value`s as compact JSON, keys in their stored order, so that the
/// same value always produces the same text (stable output for CI diffs).
public enum JSONWriter {
    public static func string(_ value: Value) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    public static func write(_ value: Value, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number):
            if number.isFinite {
                output += number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            } else {
                output += "null"
            }
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { output += "," }
                write(item, to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (offset, (key, item)) in object.pairs.enumerated() {
                if offset > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(item, to: &output)
            }
            output += "}"
        }
    }

    public static func writeString(_ text: String, to output: inout String) {
        output += "\""
        var needsEscape = false
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            output += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        output += "\""
    }
}

extension JSONWriter {
    /// Indented JSON with two spaces, for files people read (`ticketflow schema`).
    public static func pretty(_ value: Value) -> String {
        var output = ""
        writePretty(value, indent: 0, to: &output)
        return output + "\n"
    }

    private static func writePretty(_ value: Value, indent: Int, to output: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            output += "[\n"
            for (offset, item) in items.enumerated() {
                output += pad
                writePretty(item, indent: indent + 1, to: &output)
                output += offset == items.count - 1 ? "\n" : ",\n"
            }
            output += closePad + "]"
        case .object(let object) where !object.isEmpty:
            output += "{\n"
            for (offset, (key, item)) in object.pairs.enumerated() {
                output += pad
                writeString(key, to: &output)
                output += ": "
                writePretty(item, indent: indent + 1, to: &output)
                output += offset == object.count - 1 ? "\n" : ",\n"
            }
            output += closePad + "}"
        default:
            write(value, to: &output)
        }
    }
}
