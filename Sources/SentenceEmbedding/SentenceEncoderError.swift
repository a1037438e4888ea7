/// Why a sentence encoder could not be loaded, naming the file at fault.
public enum SentenceEncoderError: Error, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case missingTensor(path: String, name: String)

    public var description: String {
        switch self {
        case .missingFile(let path): "\(path): no such file"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .missingTensor(let path, let name): "\(path): no tensor \"\(name)\""
        }
    }
}
