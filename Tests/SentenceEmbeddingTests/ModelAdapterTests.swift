import Foundation
import ModelTestSupport
import Testing

@testable import SentenceEmbedding

@Suite("Model adapter")
struct ModelAdapterTests {
    /// Metadata that names a base tensor and one of its values.
    static func metadata(probe: String = "0:3f800000") -> [String: String] {
        ["format": ModelAdapter.format, "base_tensor": "encoder.layer.0.attention.attn.q.weight", "base_probe": probe]
    }

    /// `base_probe` text for `values`, as `scripts/tune-model` writes it.
    static func probe(_ values: [(index: Int, bits: UInt32)]) -> String {
        values.map { "\($0.index):\(String($0.bits, radix: 16))" }.joined(separator: ",")
    }

    /// An adapter that changes MPNet's `layer` by nothing, pinned by `probe`.
    static func emptyChange(to layer: String, probe: String) throws -> String {
        try SafeTensorsWriter.write(
            tensors: [
                layer + ".lora_down": ([1, 3072], [Float](repeating: 0, count: 3072)),
                layer + ".lora_up": ([768, 1], [Float](repeating: 0, count: 768)),
            ],
            metadata: metadata(probe: probe))
    }

    @Test("adds up · down to a layer's weight and leaves its bias")
    func addsLowRankProduct() {
        let layer = DenseLayer(weight: [1, 2, 3, 4, 5, 6], bias: [7, 8, 9], inputs: 2, outputs: 3)
        // up is 3 × 2, down is 2 × 2.
        let up: [Float] = [1, 0, 0, 1, 2, -1]
        let down: [Float] = [0.5, 1, -1, 2]
        let changed = layer.adding(up: up, down: down, rank: 2)
        var expected = layer.weight
        for row in 0..<3 {
            for column in 0..<2 {
                for k in 0..<2 { expected[row * 2 + column] += up[row * 2 + k] * down[k * 2 + column] }
            }
        }
        #expect(changed.weight == expected)
        #expect(changed.bias == layer.bias)
        #expect(changed.apply([1, 1], rows: 1) != layer.apply([1, 1], rows: 1))
    }

    @Test("reads the changes of a well-formed adapter by layer")
    func readsChanges() throws {
        let path = try SafeTensorsWriter.write(
            tensors: [
                "encoder.layer.1.output.dense.lora_down": ([1, 3], [1, 2, 3]),
                "encoder.layer.1.output.dense.lora_up": ([2, 1], [4, 5]),
            ],
            metadata: Self.metadata(probe: "0:3f800000,7919:bf000000"))
        let adapter = try ModelAdapter(path: path)
        #expect(adapter.changes.keys.sorted() == ["encoder.layer.1.output.dense"])
        #expect(adapter.changes["encoder.layer.1.output.dense"]?.rank == 1)
        #expect(adapter.baseProbe.map(\.index) == [0, 7919])
        #expect(adapter.baseProbe.map(\.bits) == [Float(1).bitPattern, Float(-0.5).bitPattern])
        let layer = DenseLayer(weight: [Float](repeating: 0, count: 6), bias: [0, 0], inputs: 3, outputs: 2)
        #expect(try adapter.applied(to: layer, name: "encoder.layer.1.output.dense").weight == [4, 8, 12, 5, 10, 15])
        #expect(try adapter.applied(to: layer, name: "encoder.layer.0.output.dense").weight == layer.weight)
        let tooWide = DenseLayer(weight: [Float](repeating: 0, count: 8), bias: [0, 0], inputs: 4, outputs: 2)
        #expect(throws: SentenceEncoderError.self) { try adapter.applied(to: tooWide, name: "encoder.layer.1.output.dense") }
    }

    @Test("refuses a file that is not an adapter, or whose changes do not pair up, saying which")
    func refusesBrokenAdapters() throws {
        let change: [String: (shape: [Int], values: [Float])] = [
            "a.lora_down": ([1, 2], [1, 2]), "a.lora_up": ([2, 1], [1, 2]),
        ]
        func reason(_ tensors: [String: (shape: [Int], values: [Float])], _ metadata: [String: String]) throws -> String {
            let path = try SafeTensorsWriter.write(tensors: tensors, metadata: metadata)
            do {
                _ = try ModelAdapter(path: path)
                return "read"
            } catch {
                #expect(error.path == path)
                return error.description
            }
        }
        #expect(try reason(change, [:]).contains("not a Ticketflow model adapter"))
        #expect(try reason(change, ["format": ModelAdapter.format]).contains("does not name the base model"))
        #expect(try reason(change, Self.metadata(probe: "zero:1")).contains("is not index:hexadecimal bits"))
        #expect(try reason(["a.lora_down": ([1, 2], [1, 2])], Self.metadata()).contains("no tensor \"a.lora_up\""))
        #expect(try reason(["a.lora_up": ([2, 1], [1, 2])], Self.metadata()).contains("no tensor \"a.lora_down\""))
        #expect(try reason(["a.lora_down": ([2, 1], [1, 2]), "a.lora_up": ([2, 1], [1, 2])], Self.metadata()).contains("are not rank × inputs"))
        #expect(try reason(["b.weight": ([1], [1])], Self.metadata()).contains("has no .lora_down tensors"))
        #expect(try reason(["a.lora_down": ([1, 2], [1, .nan]), "a.lora_up": ([2, 1], [1, 2])], Self.metadata()).contains("a.lora_down: value 1 is nan"))
        #expect(try reason(["a.lora_down": ([1, 2], [1, 2]), "a.lora_up": ([2, 1], [.infinity, 2])], Self.metadata()).contains("a.lora_up: value 0 is inf"))
        let wide = try SafeTensorsWriter.write(
            header: #"{"__metadata__":{"format":"ticketflow-adapter-1","base_tensor":"w","base_probe":"0:0"},"#
                + #""a.lora_down":{"dtype":"F32","shape":[1,9223372036854775807],"data_offsets":[0,4]},"#
                + #""a.lora_up":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}"#,
            payload: [UInt8](repeating: 0, count: 8))
        #expect(throws: SentenceEncoderError.self) { try ModelAdapter(path: wide) }
        #expect(try reason(change, Self.metadata()) == "read")
    }

    @Test("computes the vectors it was learned to compute (the example adapter)", .enabled(if: ModelFolder.shouldRunMPNet))
    func exampleAdapterMatchesItsTraining() throws {
        let base = try #require(ModelFolder.mpnet, "no model at \(ModelFolder.mpnetPath): run scripts/fetch-model")
        let adapterPath = ModelFolder.exampleAdapterPath
        let tuned = try SentenceEncoder(directory: ModelFolder.mpnetPath, adapter: adapterPath)
        #expect(tuned.adapter == adapterPath)
        #expect(tuned.fingerprint != base.fingerprint)
        // Written by scripts/tune-model with the adapter, from PyTorch's
        // forward pass with the change unmerged.
        let referencePath = ModelFolder.exampleReferencePath
        let data = try #require(FileManager.default.contents(atPath: referencePath))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        #expect(reference.texts.count == 3)
        for (text, expected) in zip(reference.texts, reference.vectors) {
            let vector = tuned.encode(text)
            let largest = zip(vector, expected).map { abs($0 - $1) }.max() ?? 1
            #expect(largest < 2e-3, "\(text): differs by \(largest)")
            // The change is real: the base model's vector is farther off.
            let untouched = zip(base.encode(text), expected).map { abs($0 - $1) }.max() ?? 0
            #expect(untouched > 10 * largest, "\(text): the base model is as close (\(untouched))")
        }
    }

    struct Reference: Decodable {
        var texts: [String]
        var vectors: [[Float]]
    }

    @Test("refuses an adapter learned on another model, or naming a layer the model lacks", .enabled(if: ModelFolder.shouldRunMPNet && ModelFolder.shouldRunBERT))
    func refusesOtherModels() throws {
        let adapterPath = ModelFolder.exampleAdapterPath
        #expect {
            try SentenceEncoder(directory: ModelFolder.bertPath, adapter: adapterPath)
        } throws: { error in
            "\(error)".contains("was learned on another model") && (error as? SentenceEncoderError)?.path == adapterPath
        }
        // The example adapter's own pin, with a change to a layer MPNet does not have.
        let example = try ModelAdapter(path: adapterPath)
        let stray = try Self.emptyChange(to: "encoder.layer.40.output.dense", probe: Self.probe(example.baseProbe))
        #expect {
            try SentenceEncoder(directory: ModelFolder.mpnetPath, adapter: stray)
        } throws: { error in
            "\(error)".contains("changes \"encoder.layer.40.output.dense\", which is not a linear layer")
        }
        var pinnedElsewhere = example.baseProbe
        pinnedElsewhere[0].bits ^= 1
        let wrongPin = try Self.emptyChange(to: "encoder.layer.11.output.dense", probe: Self.probe(pinnedElsewhere))
        #expect {
            try SentenceEncoder(directory: ModelFolder.mpnetPath, adapter: wrongPin)
        } throws: { error in
            "\(error)".contains("was learned on another model")
        }
    }
}
