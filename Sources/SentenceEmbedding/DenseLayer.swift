import COpenBLAS

/// A linear layer as PyTorch stores it: `weight` is `outputs × inputs`,
/// row-major.
struct DenseLayer: Sendable {
    let weight: [Float]
    let bias: [Float]
    let inputs: Int
    let outputs: Int

    /// `rows × inputs` in, `rows × outputs` out: one matrix product in
    /// OpenBLAS, onto rows that start as the bias.
    func apply(_ input: [Float], rows: Int) -> [Float] {
        precondition(input.count == rows * inputs)
        var output: [Float] = []
        output.reserveCapacity(rows * outputs)
        for _ in 0..<rows { output.append(contentsOf: bias) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
            1, input, Int32(inputs), weight, Int32(inputs), 1, &output, Int32(outputs))
        return output
    }
}

extension DenseLayer {
    /// This layer with the low-rank product `up · down` added to its weight
    /// (`up` is `outputs × rank`, `down` is `rank × inputs`): how a
    /// `ModelAdapter` changes it, once, when the model is loaded.
    func adding(up: [Float], down: [Float], rank: Int) -> DenseLayer {
        precondition(up.count == outputs * rank && down.count == rank * inputs)
        var changed = weight
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(inputs), Int32(rank),
            1, up, Int32(rank), down, Int32(inputs), 1, &changed, Int32(inputs))
        return DenseLayer(weight: changed, bias: bias, inputs: inputs, outputs: outputs)
    }
}
