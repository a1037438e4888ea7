/// A linear layer as PyTorch stores it: `weight` is `outputs × inputs`,
/// row-major, so each output is a dot product of two contiguous rows.
struct DenseLayer: Sendable {
    let weight: [Float]
    let bias: [Float]
    let inputs: Int
    let outputs: Int

    /// `rows × inputs` in, `rows × outputs` out.
    func apply(_ input: [Float], rows: Int) -> [Float] {
        precondition(input.count == rows * inputs && inputs % 8 == 0)
        var output = [Float](repeating: 0, count: rows * outputs)
        let lanes = inputs / 8
        weight.withUnsafeBufferPointer { weights in
            input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    let w = UnsafeRawPointer(weights.baseAddress!)
                    let x = UnsafeRawPointer(source.baseAddress!)
                    let rowBytes = inputs * 4
                    var row = 0
                    // Four rows share each loaded weight vector.
                    while row + 4 <= rows {
                        for unit in 0..<outputs {
                            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                            let wRow = w + unit * rowBytes
                            let x0 = x + row * rowBytes
                            for lane in 0..<lanes {
                                let offset = lane * 32
                                let v = wRow.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                                a0 += v * x0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                                a1 += v * x0.loadUnaligned(fromByteOffset: rowBytes + offset, as: SIMD8<Float>.self)
                                a2 += v * x0.loadUnaligned(fromByteOffset: 2 * rowBytes + offset, as: SIMD8<Float>.self)
                                a3 += v * x0.loadUnaligned(fromByteOffset: 3 * rowBytes + offset, as: SIMD8<Float>.self)
                            }
                            let b = bias[unit]
                            target[row * outputs + unit] = a0.sum() + b
                            target[(row + 1) * outputs + unit] = a1.sum() + b
                            target[(row + 2) * outputs + unit] = a2.sum() + b
                            target[(row + 3) * outputs + unit] = a3.sum() + b
                        }
                        row += 4
                    }
                    while row < rows {
                        for unit in 0..<outputs {
                            var a = SIMD8<Float>()
                            let wRow = w + unit * rowBytes
                            let x0 = x + row * rowBytes
                            for lane in 0..<lanes {
                                let offset = lane * 32
                                a += wRow.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                                    * x0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                            }
                            target[row * outputs + unit] = a.sum() + bias[unit]
                        }
                        row += 1
                    }
                }
            }
        }
        return output
    }
}
