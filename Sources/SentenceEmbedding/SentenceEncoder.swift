import COpenBLAS
import Foundation

/// Turns a text into a unit vector whose direction carries its meaning, so
/// that "the link in the reset email says expired" lands near "my password
/// reset link does not work" although they share one word.
///
/// It runs a BERT encoder (such as all-MiniLM-L6-v2, 6 layers, 384
/// dimensions) or an MPNet one (all-mpnet-base-v2, 12 layers, 768) in plain
/// Swift and mean-pools the last layer, as sentence-transformers does. A
/// model folder holds `config.json`, `vocab.txt` and `model.safetensors`;
/// `scripts/fetch-model` puts one in `models/`. Encoding is deterministic
/// and thread-safe.
public final class SentenceEncoder: Sendable {
    struct Layer: Sendable {
        var query, key, value, attentionOutput: DenseLayer
        var attentionNorm: LayerNorm
        var intermediate, output: DenseLayer
        var outputNorm: LayerNorm
    }

    /// The folder the model was read from.
    public let directory: String
    /// The adapter applied to the model (`ModelAdapter`), if any.
    public let adapter: String?
    /// Length of the vectors `encode` returns.
    public let dimensions: Int
    /// Tokens read of a text, the framing tokens included; the rest is ignored.
    public let maximumTokens: Int
    /// Identity of the model (a 64-bit hash of the bytes of its files, and of
    /// `formatVersion`), so that a cache of vectors never serves another model's.
    public let fingerprint: String

    /// Changed whenever this code would compute different vectors from the
    /// same files (tokenizer or pooling changes), to retire cached vectors.
    static let formatVersion: UInt64 = 1

    /// The encoder families read here. MPNet has BERT's layers under other
    /// tensor names, no token types, positions counted from `pad + 1`, and a
    /// learned bias per head and bucket of relative distance added to every
    /// attention score.
    enum Architecture: Sendable {
        case bert, mpnet
    }

    let architecture: Architecture
    let tokenizer: WordPieceTokenizer
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    /// Row of `positionEmbeddings` for the first token.
    let firstPosition: Int
    let typeEmbedding: [Float]
    let embeddingNorm: LayerNorm
    let layers: [Layer]
    let heads: Int
    /// MPNet's `buckets × heads` relative attention bias; empty for BERT.
    let relativeBias: [Float]
    let buckets: Int

    /// The folder `scripts/fetch-model` fills, relative to the project folder.
    public static let defaultDirectory = "models/all-mpnet-base-v2"
    /// The adapter `scripts/tune-model` writes, relative to the project folder.
    public static let defaultAdapter = "tuning/adapter.safetensors"

    /// Reads the model in `directory`, changed by the adapter file at
    /// `adapter` (see `ModelAdapter`) when one is given.
    public init(directory: String, adapter adapterPath: String? = nil) throws(SentenceEncoderError) {
        self.directory = directory
        self.adapter = adapterPath
        let configPath = directory + "/config.json"
        guard let configData = FileManager.default.contents(atPath: configPath) else {
            throw .missingFile(path: configPath)
        }
        guard let config = (try? JSONSerialization.jsonObject(with: configData)) as? [String: Any],
            let hidden = config["hidden_size"] as? Int, let heads = config["num_attention_heads"] as? Int,
            let layerCount = config["num_hidden_layers"] as? Int, let inner = config["intermediate_size"] as? Int,
            let vocabularySize = config["vocab_size"] as? Int, let positions = config["max_position_embeddings"] as? Int,
            hidden > 0, heads > 0, hidden % heads == 0, hidden % 8 == 0, inner % 8 == 0, layerCount > 0,
            hidden <= 8192, inner <= 65536, layerCount <= 64, vocabularySize > 0, positions >= 3
        else {
            throw .unreadable(path: configPath, reason: "not a BERT or MPNet config (hidden_size, num_attention_heads, …)")
        }
        if let activation = config["hidden_act"] as? String, activation != "gelu" {
            throw .unreadable(path: configPath, reason: "hidden_act \"\(activation)\" is not supported, only gelu")
        }
        let epsilon = Float((config["layer_norm_eps"] as? Double) ?? 1e-12)
        switch config["model_type"] as? String ?? "bert" {
        case "bert": architecture = .bert
        case "mpnet": architecture = .mpnet
        case let other: throw .unreadable(path: configPath, reason: "model_type \"\(other)\" is not supported, only bert and mpnet")
        }
        if architecture == .mpnet {
            let padding = config["pad_token_id"] as? Int ?? 1
            guard (0..<positions - 2).contains(padding) else {
                throw .unreadable(path: configPath, reason: "pad_token_id \(padding) leaves no positions")
            }
            firstPosition = padding + 1
        } else {
            firstPosition = 0
        }
        var limit = min(positions - firstPosition, 256)
        // Attention grows with the square of a text's length; no model here reads more.
        let longest = 512
        if let data = FileManager.default.contents(atPath: directory + "/sentence_bert_config.json"),
            let settings = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let length = settings["max_seq_length"] as? Int, length > 2
        {
            limit = min(positions - firstPosition, length, longest)
        }
        tokenizer = try architecture == .mpnet
            ? WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt", begin: "<s>", end: "</s>")
            : WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt")
        let weightsPath = directory + "/model.safetensors"
        guard FileManager.default.fileExists(atPath: weightsPath) else { throw .missingFile(path: weightsPath) }
        let file = try SafeTensorsFile(path: weightsPath)
        let prefix =
            file.entries["embeddings.word_embeddings.weight"] != nil ? ""
            : architecture == .mpnet ? "mpnet." : "bert."
        func tensor(_ name: String, _ shape: [Int]) throws(SentenceEncoderError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        var adapter: ModelAdapter?
        if let adapterPath {
            adapter = try ModelAdapter(path: adapterPath)
            try adapter?.checkBase(file, prefix: prefix)
        }
        var adapted: Set<String> = []
        func dense(_ name: String, _ inputs: Int, _ outputs: Int) throws(SentenceEncoderError) -> DenseLayer {
            let layer = DenseLayer(
                weight: try tensor(name + ".weight", [outputs, inputs]), bias: try tensor(name + ".bias", [outputs]),
                inputs: inputs, outputs: outputs)
            guard let adapter else { return layer }
            adapted.insert(name)
            return try adapter.applied(to: layer, name: name)
        }
        func norm(_ name: String) throws(SentenceEncoderError) -> LayerNorm {
            LayerNorm(gain: try tensor(name + ".weight", [hidden]), shift: try tensor(name + ".bias", [hidden]), epsilon: epsilon)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [vocabularySize, hidden])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [positions, hidden])
        switch architecture {
        case .bert:
            let types = max(1, file.entries[prefix + "embeddings.token_type_embeddings.weight"]?.shape.first ?? 1)
            typeEmbedding = Array(try tensor("embeddings.token_type_embeddings.weight", [types, hidden]).prefix(hidden))
            relativeBias = []
            buckets = 0
        case .mpnet:
            typeEmbedding = [Float](repeating: 0, count: hidden)
            buckets = config["relative_attention_num_buckets"] as? Int ?? 32
            // Past 256 the logarithmic half of the buckets would start beyond 128 tokens.
            guard buckets >= 4, buckets <= 256, buckets % 4 == 0 else {
                throw .unreadable(path: configPath, reason: "relative_attention_num_buckets \(buckets) is not a multiple of 4 in 4…256")
            }
            relativeBias = try tensor("encoder.relative_attention_bias.weight", [buckets, heads])
        }
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [Layer] = []
        for number in 0..<layerCount {
            let name = "encoder.layer.\(number)."
            let attention = architecture == .mpnet
                ? (query: "attention.attn.q", key: "attention.attn.k", value: "attention.attn.v",
                    output: "attention.attn.o", norm: "attention.LayerNorm")
                : (query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
                    output: "attention.output.dense", norm: "attention.output.LayerNorm")
            layers.append(Layer(
                query: try dense(name + attention.query, hidden, hidden),
                key: try dense(name + attention.key, hidden, hidden),
                value: try dense(name + attention.value, hidden, hidden),
                attentionOutput: try dense(name + attention.output, hidden, hidden),
                attentionNorm: try norm(name + attention.norm),
                intermediate: try dense(name + "intermediate.dense", hidden, inner),
                output: try dense(name + "output.dense", inner, hidden),
                outputNorm: try norm(name + "output.LayerNorm")))
        }
        if let adapter, let unknown = adapter.changes.keys.sorted().first(where: { !adapted.contains($0) }) {
            throw .unreadable(path: adapter.path, reason: "changes \"\(unknown)\", which is not a linear layer of \(directory)")
        }
        guard tokenizer.vocabulary.count <= vocabularySize,
            tokenizer.vocabulary.values.allSatisfy({ Int($0) < vocabularySize })
        else { throw .unreadable(path: directory + "/vocab.txt", reason: "has more tokens than the model's \(vocabularySize)") }
        self.layers = layers
        self.heads = heads
        // OpenBLAS's own threads are not safe around fork(), which starts
        // plugins while passages may be encoding, and would oversubscribe the
        // cores under concurrent encodes; parallelism is Swift's instead.
        openblas_set_num_threads(1)
        dimensions = hidden
        maximumTokens = limit
        var hash = file.contentHash ^ Self.formatVersion
        if let adapter { hash = (hash ^ adapter.contentHash) &* 0x9E37_79B9_7F4A_7C15 }
        for name in ["config.json", "vocab.txt", "sentence_bert_config.json"] {
            let bytes = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
            hash = (hash ^ SafeTensorsFile.hash(bytes)) &* 0x9E37_79B9_7F4A_7C15
        }
        fingerprint = String(hash, radix: 16)
    }

    /// The last texts encoded, so that two steps reading one ticket's text
    /// in one event (a guide suggestion and a text grouping) encode it once,
    /// and a batch's texts encoded ahead (`prepare`) wait for their turn.
    let recent = RecentVectors(capacity: 1024)

    /// The text's vector, of length 1. A text with no words still has one
    /// (that of the framing tokens alone): callers decide whether such a text
    /// means anything.
    public func encode(_ text: String) -> [Float] {
        if let known = recent[text] { return known }
        let vector = computeVector(text)
        recent[text] = vector
        return vector
    }

    func computeVector(_ text: String) -> [Float] {
        computeVectors([text])[0]
    }

    /// Vectors of several texts in one forward pass: their tokens are
    /// stacked into one matrix, so each layer's products are large enough to
    /// run the vector unit near full speed; attention stays within each text.
    func computeVectors(_ texts: [String]) -> [[Float]] {
        let sequences = texts.map { tokenizer.ids($0, limit: maximumTokens) }
        var spans: [Range<Int>] = []
        var rows = 0
        for ids in sequences {
            spans.append(rows..<rows + ids.count)
            rows += ids.count
        }
        let width = dimensions
        var hidden = [Float](repeating: 0, count: rows * width)
        for (ids, span) in zip(sequences, spans) {
            for (offset, id) in ids.enumerated() {
                let word = Int(id) * width
                let position = (firstPosition + offset) * width
                let row = span.lowerBound + offset
                for column in 0..<width {
                    hidden[row * width + column] =
                        wordEmbeddings[word + column] + positionEmbeddings[position + column] + typeEmbedding[column]
                }
            }
        }
        let longestText = spans.map(\.count).max() ?? 0
        // The bucket of each distance from -(longestText - 1) to longestText - 1.
        let bucketOfDistance =
            relativeBias.isEmpty ? [] : (1 - longestText..<longestText).map { Self.bucket(distance: $0, buckets: buckets) }
        embeddingNorm.apply(&hidden, rows: rows)
        for layer in layers {
            var attended = attention(layer, hidden, spans: spans, bucketOfDistance: bucketOfDistance)
            attended = layer.attentionOutput.apply(attended, rows: rows)
            for index in attended.indices { attended[index] += hidden[index] }
            layer.attentionNorm.apply(&attended, rows: rows)
            var inner = layer.intermediate.apply(attended, rows: rows)
            for index in inner.indices { inner[index] = Self.gelu(inner[index]) }
            var output = layer.output.apply(inner, rows: rows)
            for index in output.indices { output[index] += attended[index] }
            layer.outputNorm.apply(&output, rows: rows)
            hidden = output
        }
        return spans.map { span in
            var pooled = [Float](repeating: 0, count: width)
            for row in span {
                for column in 0..<width { pooled[column] += hidden[row * width + column] }
            }
            var length: Float = 0
            for value in pooled { length += value * value }
            length = length.squareRoot()
            guard length > 0 else { return pooled }
            return pooled.map { $0 / length }
        }
    }

    /// MPNet's bucket for a key `distance` tokens after the query (before,
    /// when negative): each direction has half the buckets, exact for near
    /// tokens and logarithmic up to 128 tokens away.
    static func bucket(distance: Int, buckets: Int) -> Int {
        let half = buckets / 2
        let exact = half / 2
        let base = distance > 0 ? half : 0
        let span = abs(distance)
        if span < exact { return base + span }
        let far = exact + Int(log(Double(span) / Double(exact)) / log(128 / Double(exact)) * Double(half - exact))
        return base + min(max(far, exact), half - 1)
    }

    /// Self-attention of every token to every token of its own text (`spans`
    /// are the texts' rows), head by head, with MPNet's bias for the
    /// distance between the two tokens added to the scores (`bucketOfDistance`
    /// is empty for BERT): two matrix products per text and head.
    private func attention(_ layer: Layer, _ hidden: [Float], spans: [Range<Int>], bucketOfDistance: [Int]) -> [Float] {
        let total = spans.last?.upperBound ?? 0
        let queries = layer.query.apply(hidden, rows: total)
        let keys = layer.key.apply(hidden, rows: total)
        let values = layer.value.apply(hidden, rows: total)
        var context = [Float](repeating: 0, count: total * dimensions)
        let longest = spans.map(\.count).max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)
        queries.withUnsafeBufferPointer { queries in
            keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    context.withUnsafeMutableBufferPointer { context in
                        scores.withUnsafeMutableBufferPointer { scores in
                            let input = (queries: queries.baseAddress!, keys: keys.baseAddress!, values: values.baseAddress!)
                            for span in spans {
                                for head in 0..<heads {
                                    attend(
                                        span: span, head: head, input: input, context: context.baseAddress!,
                                        scores: scores.baseAddress!, bucketOfDistance: bucketOfDistance, longest: longest)
                                }
                            }
                        }
                    }
                }
            }
        }
        return context
    }

    /// One head of one text. Queries, keys, values and context are
    /// `rows × dimensions`, the head owning `dimensions / heads` columns;
    /// `scores` has room for `span.count²` weights.
    private func attend(
        span: Range<Int>, head: Int,
        input: (queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>),
        context: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, bucketOfDistance: [Int], longest: Int
    ) {
        let size = dimensions / heads
        let rows = span.count, count = Int32(span.count), stride = Int32(dimensions), length = Int32(size)
        let base = span.lowerBound * dimensions + head * size
        // The scores start as the bias, which the product then adds to.
        for row in 0..<rows {
            for other in 0..<rows {
                scores[row * rows + other] =
                    bucketOfDistance.isEmpty
                    ? 0 : relativeBias[bucketOfDistance[longest - 1 + other - row] * heads + head]
            }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, count, count, length, 1 / Float(size).squareRoot(),
            input.queries + base, stride, input.keys + base, stride, 1, scores, count)
        for row in 0..<rows {
            let start = row * rows
            var largest = -Float.infinity
            for other in 0..<rows { largest = max(largest, scores[start + other]) }
            var total: Float = 0
            for other in 0..<rows {
                scores[start + other] = exp(scores[start + other] - largest)
                total += scores[start + other]
            }
            for other in 0..<rows { scores[start + other] /= total }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, count, length, count, 1, scores, count, input.values + base, stride,
            0, context + base, stride)
    }

    /// GELU as BERT defines it, with the exact error function.
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.70710678)) }

    /// Cosine of two vectors from `encode` (they have length 1).
    public static func similarity(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return 0 }
        var dot: Float = 0
        for index in a.indices { dot += a[index] * b[index] }
        return Double(dot)
    }
}
