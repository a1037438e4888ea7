/// Writes `Value`s as compact JSON, keys in their stored order, so that the
/// same value always produces the same text (stable output for CI diffs).
public enum JSONWriter {
    public static func string(_ value: Value) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the JSON text of `value` as UTF-8 bytes: the fast path, used
    /// for everything the log stores.
    public static func write(_ value: Value, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number):
            if number.isFinite {
                let text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
                output.append(contentsOf: text.utf8)
            } else {
                output.append(contentsOf: "null".utf8)
            }
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for index in object.keys.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(object.keys[index], to: &output)
                output.append(UInt8(ascii: ":"))
                write(object.values[index], to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    public static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            output.append(contentsOf: text.utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    public static func write(_ value: Value, to output: inout String) {
        var bytes: [UInt8] = []
        write(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    public static func writeString(_ text: String, to output: inout String) {
        var bytes: [UInt8] = []
        writeString(text, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
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
