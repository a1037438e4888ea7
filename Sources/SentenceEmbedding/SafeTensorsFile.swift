import Foundation

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw
/// little-endian data. Only `F32` tensors are read; the file is memory-mapped.
struct SafeTensorsFile {
    struct Entry {
        var shape: [Int]
        var dtype: String
        var range: Range<Int>
    }

    let path: String
    private let data: Data
    private let dataStart: Int
    private(set) var entries: [String: Entry] = [:]
    /// The header's `__metadata__`: free text the writer attached.
    private(set) var metadata: [String: String] = [:]

    init(path: String) throws(SentenceEncoderError) {
        self.path = path
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw .unreadable(path: path, reason: "cannot read the file")
        }
        self.data = data
        guard data.count >= 8 else { throw .unreadable(path: path, reason: "shorter than its 8-byte header length") }
        var headerLength = 0
        for offset in 0..<8 { headerLength |= Int(data[data.startIndex + offset]) << (8 * offset) }
        guard headerLength > 0, headerLength <= data.count - 8 else {
            throw .unreadable(path: path, reason: "header length \(headerLength) does not fit a \(data.count)-byte file")
        }
        dataStart = 8 + headerLength
        let header = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + dataStart))
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw .unreadable(path: path, reason: "the header is not a JSON object")
        }
        if let fields = object["__metadata__"] as? [String: Any] {
            metadata = fields.compactMapValues { $0 as? String }
        }
        for (name, value) in object where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1],
                offsets[1] <= data.count - dataStart
            else { throw .unreadable(path: path, reason: "tensor \"\(name)\" has a malformed entry") }
            entries[name] = Entry(shape: shape, dtype: dtype, range: offsets[0]..<offsets[1])
        }
    }

    /// A 64-bit hash of every byte of the file.
    var contentHash: UInt64 { Self.hash(data) }

    /// A 64-bit multiply-xor hash over 8-byte words: fast on 90 MB, not cryptographic.
    static func hash(_ data: Data) -> UInt64 {
        data.withUnsafeBytes { raw in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(raw.count)
            var offset = 0
            while offset + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                hash ^= hash >> 29
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0x0000_0100_0000_01B3
                offset += 1
            }
            return hash
        }
    }

    /// One value of an `F32` tensor, by its index in row-major order; `nil`
    /// when the tensor is missing, of another type, or shorter.
    func float(_ name: String, at index: Int) -> Float? {
        guard let entry = entries[name], entry.dtype == "F32", index >= 0,
            index < entry.range.count / MemoryLayout<Float>.size
        else { return nil }
        let offset = dataStart + entry.range.lowerBound + index * MemoryLayout<Float>.size
        let bits = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        return Float(bitPattern: UInt32(littleEndian: bits))
    }

    /// The tensor's values in row-major order, checked against `shape`.
    func floats(_ name: String, shape: [Int]) throws(SentenceEncoderError) -> [Float] {
        guard let entry = entries[name] else { throw .missingTensor(path: path, name: name) }
        let elements = shape.reduce(Optional(1)) { product, size in
            guard let product, size >= 0 else { return nil }
            let (result, overflow) = product.multipliedReportingOverflow(by: size)
            return overflow ? nil : result
        }
        guard entry.dtype == "F32", entry.shape == shape, let elements,
            entry.range.count % MemoryLayout<Float>.size == 0, elements == entry.range.count / MemoryLayout<Float>.size
        else {
            throw .unreadable(
                path: path, reason: "tensor \"\(name)\" is \(entry.dtype) \(entry.shape), expected F32 \(shape)")
        }
        let count = entry.range.count / MemoryLayout<Float>.size
        let start = data.startIndex + dataStart + entry.range.lowerBound
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                for index in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: start - data.startIndex + index * 4, as: UInt32.self)
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            initialized = count
        }
    }
}
