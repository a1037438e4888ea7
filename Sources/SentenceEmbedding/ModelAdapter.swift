/// A low-rank change to some of a sentence model's linear layers, learned
/// from a support team's resolved tickets (`scripts/tune-model`), so that
/// tickets about one problem land nearer each other, and look-alikes about
/// another farther, than a general-purpose model puts them.
///
/// The file is a `.safetensors` file. For each changed layer it holds
/// `NAME.lora_down` (`rank × inputs`) and `NAME.lora_up` (`outputs × rank`,
/// its scale folded in), NAME being the layer's tensor name without the
/// model's prefix (`encoder.layer.11.attention.attn.q`); the layer's weight
/// becomes `weight + lora_up · lora_down` when the model is loaded, so
/// encoding costs the same. Its metadata pins the base model it was learned
/// on: `base_tensor` names one of the base's tensors and `base_probe` lists
/// some of its values as `index:bits` (hexadecimal float32 bit patterns),
/// which must match bit for bit.
struct ModelAdapter: Sendable {
    /// The change to one layer: its weight gains `up · down`.
    struct Change: Sendable {
        /// `rank × inputs`, row-major.
        var down: [Float]
        /// `outputs × rank`, row-major, the scale folded in.
        var up: [Float]
        var rank: Int
    }

    /// The adapter file, for messages.
    let path: String
    /// By layer name, without the model's prefix.
    let changes: [String: Change]
    /// The base model's tensor whose values pin it.
    let baseTensor: String
    /// Values of `baseTensor` by index, as float32 bit patterns.
    let baseProbe: [(index: Int, bits: UInt32)]
    /// A hash of the whole file, for the encoder's fingerprint.
    let contentHash: UInt64

    /// The metadata `format` this reader understands.
    static let format = "ticketflow-adapter-1"
    /// A low-rank change is small by definition; past this rank it is a
    /// mistake (or a file built to exhaust memory), not an adapter.
    static let largestRank = 256
    /// Larger than any layer of a sentence model read here (`SentenceEncoder`
    /// allows 65,536 inner units); the bound keeps a hostile shape from
    /// overflowing the size computation.
    static let largestSide = 65_536

    /// Reads and checks the file; a change that cannot be applied is refused
    /// here, before any model is loaded.
    init(path: String) throws(SentenceEncoderError) {
        self.path = path
        let file = try SafeTensorsFile(path: path)
        guard file.metadata["format"] == Self.format else {
            throw .unreadable(path: path, reason: "not a Ticketflow model adapter (metadata format is not \"\(Self.format)\")")
        }
        guard let tensor = file.metadata["base_tensor"], let probe = file.metadata["base_probe"] else {
            throw .unreadable(path: path, reason: "the metadata does not name the base model (base_tensor, base_probe)")
        }
        var values: [(index: Int, bits: UInt32)] = []
        for item in probe.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let index = Int(parts[0]), index >= 0, let bits = UInt32(parts[1], radix: 16) else {
                throw .unreadable(path: path, reason: "base_probe \"\(item)\" is not index:hexadecimal bits")
            }
            values.append((index, bits))
        }
        guard !values.isEmpty else { throw .unreadable(path: path, reason: "base_probe is empty") }
        baseTensor = tensor
        baseProbe = values
        var changes: [String: Change] = [:]
        for name in file.entries.keys where name.hasSuffix(".lora_down") {
            let layer = String(name.dropLast(".lora_down".count))
            guard let down = file.entries[name], let up = file.entries[layer + ".lora_up"] else {
                throw .missingTensor(path: path, name: layer + ".lora_up")
            }
            guard down.shape.count == 2, up.shape.count == 2, down.shape[0] == up.shape[1],
                (1...Self.largestRank).contains(down.shape[0]), (1...Self.largestSide).contains(down.shape[1]),
                (1...Self.largestSide).contains(up.shape[0])
            else {
                throw .unreadable(
                    path: path,
                    reason: "\(layer): lora_down \(down.shape) and lora_up \(up.shape) are not rank × inputs and outputs × rank "
                        + "(rank up to \(Self.largestRank), sides up to \(Self.largestSide))")
            }
            let change = Change(
                down: try file.floats(name, shape: down.shape), up: try file.floats(layer + ".lora_up", shape: up.shape),
                rank: down.shape[0])
            // A NaN would spread to every vector, and from there to the cache
            // and the stored groups.
            for (part, values) in [("lora_down", change.down), ("lora_up", change.up)] {
                if let index = values.firstIndex(where: { !$0.isFinite }) {
                    throw .unreadable(path: path, reason: "\(layer).\(part): value \(index) is \(values[index])")
                }
            }
            changes[layer] = change
        }
        if let orphan = file.entries.keys.first(where: { $0.hasSuffix(".lora_up") && changes[String($0.dropLast(".lora_up".count))] == nil }) {
            throw .missingTensor(path: path, name: String(orphan.dropLast(".lora_up".count)) + ".lora_down")
        }
        guard !changes.isEmpty else { throw .unreadable(path: path, reason: "has no .lora_down tensors: it changes no layer") }
        self.changes = changes
        contentHash = file.contentHash
    }

    /// Throws, naming the adapter, unless `model` is the one it was learned on.
    func checkBase(_ model: SafeTensorsFile, prefix: String) throws(SentenceEncoderError) {
        guard model.entries[prefix + baseTensor] != nil else {
            throw .unreadable(path: path, reason: "was learned on another model: \(model.path) has no tensor \"\(baseTensor)\"")
        }
        for (index, bits) in baseProbe where model.float(prefix + baseTensor, at: index)?.bitPattern != bits {
            throw .unreadable(path: path, reason: "was learned on another model than \(model.path) (its \"\(baseTensor)\" differs)")
        }
    }

    /// `layer` with this adapter's change to `name`, if it has one; throws
    /// when the change's shape does not fit the layer.
    func applied(to layer: DenseLayer, name: String) throws(SentenceEncoderError) -> DenseLayer {
        guard let change = changes[name] else { return layer }
        guard change.down.count == change.rank * layer.inputs, change.up.count == layer.outputs * change.rank else {
            throw .unreadable(
                path: path,
                reason: "\(name): a change of \(change.up.count / change.rank) × \(change.down.count / change.rank) "
                    + "does not fit the model's \(layer.outputs) × \(layer.inputs) layer")
        }
        return layer.adding(up: change.up, down: change.down, rank: change.rank)
    }
}
