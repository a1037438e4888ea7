import Foundation
import Testing

@testable import SentenceEmbedding

@Suite("safetensors reader")
struct SafeTensorsFileTests {
    /// A file with the given header JSON followed by `payload`.
    func write(header: String, payload: [UInt8] = []) throws -> String {
        try SafeTensorsWriter.write(header: header, payload: payload)
    }

    @Test("reads little-endian F32 tensors by name and shape")
    func readsTensor() throws {
        var payload: [UInt8] = []
        for value: Float in [1.5, -2, 0.25, 8] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { payload += $0 }
        }
        let path = try write(
            header: #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#,
            payload: payload)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.floats("w", shape: [2, 2]) == [1.5, -2, 0.25, 8])
        #expect(file.metadata == ["format": "pt"])
        #expect(file.float("w", at: 2) == 0.25)
        #expect(file.float("w", at: 4) == nil)
        #expect(file.float("b", at: 0) == nil)
        #expect(throws: SentenceEncoderError.self) { try file.floats("w", shape: [4, 1]) }
        #expect(throws: SentenceEncoderError.missingTensor(path: path, name: "b")) { try file.floats("b", shape: [2]) }
    }

    @Test("refuses a header longer than the file, a non-JSON header, and offsets past the end")
    func refusesBrokenFiles() throws {
        let tooLong = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)").path
        try Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: URL(fileURLWithPath: tooLong))
        #expect(throws: SentenceEncoderError.self) { try SafeTensorsFile(path: tooLong) }
        #expect(throws: SentenceEncoderError.self) { try SafeTensorsFile(path: try write(header: "[1,2]")) }
        let pastEnd = try write(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, payload: [0, 0, 0, 0])
        #expect(throws: SentenceEncoderError.self) { try SafeTensorsFile(path: pastEnd) }
    }
}
