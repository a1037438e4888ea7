/// Why a sentence encoder could not be loaded, naming the file at fault.
public enum SentenceEncoderError: Error, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case missingTensor(path: String, name: String)

    /// The file at fault.
    public var path: String {
        switch self {
        case .missingFile(let path), .unreadable(let path, _), .missingTensor(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path): "\(path): no such file"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .missingTensor(let path, let name): "\(path): no tensor \"\(name)\""
        }
    }
}
