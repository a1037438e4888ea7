import Foundation

/// Writes `.safetensors` files for tests: float32 tensors and metadata, or
/// a header of any text, so that broken files can be made too.
enum SafeTensorsWriter {
    /// A file with the given header JSON followed by `payload`.
    static func write(header: String, payload: [UInt8] = []) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString).safetensors").path
        var bytes: [UInt8] = []
        var length = UInt64(header.utf8.count)
        for _ in 0..<8 {
            bytes.append(UInt8(length & 0xFF))
            length >>= 8
        }
        bytes += Array(header.utf8) + payload
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A well-formed file of float32 `tensors` (name: shape and values).
    static func write(tensors: [String: (shape: [Int], values: [Float])], metadata: [String: String] = [:]) throws -> String {
        var header: [String: Any] = ["__metadata__": metadata]
        var payload: [UInt8] = []
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let start = payload.count
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { payload += $0 } }
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [start, payload.count]]
        }
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        return try write(header: String(decoding: json, as: UTF8.self), payload: payload)
    }
}
