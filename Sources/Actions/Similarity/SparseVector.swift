import Foundation

/// A weighted bag of features (terms or guide ids), kept sorted by key so
/// that sums and products are the same in every run, whatever the order of
/// dictionaries.
public struct SparseVector: Sendable, Hashable {
    public private(set) var keys: [String]
    public private(set) var values: [Double]

    public init() {
        keys = []
        values = []
    }

    public init(_ weights: [String: Double]) {
        let sorted = weights.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        keys = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    public var norm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public func dot(_ other: SparseVector) -> Double {
        var i = 0, j = 0, sum = 0.0
        while i < keys.count, j < other.keys.count {
            if keys[i] == other.keys[j] {
                sum += values[i] * other.values[j]
                i += 1
                j += 1
            } else if keys[i] < other.keys[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// Cosine of the angle between the two vectors; 0 when either is empty.
    public func cosine(_ other: SparseVector) -> Double {
        let norms = norm * other.norm
        return norms > 0 ? dot(other) / norms : 0
    }

    public func normalised() -> SparseVector {
        let n = norm
        guard n > 0 else { return self }
        var copy = self
        copy.values = values.map { $0 / n }
        return copy
    }

    /// The sum of two vectors.
    public func adding(_ other: SparseVector) -> SparseVector {
        var result = SparseVector()
        result.keys.reserveCapacity(keys.count + other.keys.count)
        result.values.reserveCapacity(keys.count + other.keys.count)
        var i = 0, j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                result.keys.append(keys[i])
                result.values.append(values[i])
                i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                result.keys.append(other.keys[j])
                result.values.append(other.values[j])
                j += 1
            } else {
                result.keys.append(keys[i])
                result.values.append(values[i] + other.values[j])
                i += 1
                j += 1
            }
        }
        return result
    }

    /// The `count` heaviest features (ties by key), the rest dropped: keeps stored centroids small.
    public func keepingLargest(_ count: Int) -> SparseVector {
        guard keys.count > count else { return self }
        let kept = keys.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : keys[$0] < keys[$1] }
            .prefix(count).sorted()
        var result = SparseVector()
        result.keys = kept.map { keys[$0] }
        result.values = kept.map { values[$0] }
        return result
    }

    /// Keys by decreasing weight (ties by key).
    public func keysByWeight() -> [String] {
        keys.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : keys[$0] < keys[$1] }.map { keys[$0] }
    }

    public subscript(key: String) -> Double {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? values[low] : 0
    }
}
