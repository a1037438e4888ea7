import Foundation

/// Normalises each row to mean 0 and variance 1, then scales and shifts.
struct LayerNorm: Sendable {
    let gain: [Float]
    let shift: [Float]
    let epsilon: Float

    func apply(_ values: inout [Float], rows: Int) {
        let width = gain.count
        for row in 0..<rows {
            let start = row * width
            var mean: Float = 0
            for index in start..<(start + width) { mean += values[index] }
            mean /= Float(width)
            var variance: Float = 0
            for index in start..<(start + width) {
                let d = values[index] - mean
                variance += d * d
            }
            variance /= Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            for column in 0..<width {
                values[start + column] = (values[start + column] - mean) * scale * gain[column] + shift[column]
            }
        }
    }
}
