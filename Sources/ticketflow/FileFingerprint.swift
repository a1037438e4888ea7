import Foundation

/// A summary of files (path, size, modification time) that changes when
/// any of them is saved, added or removed: cheap enough to take every few
/// seconds, which is how the daemon notices edited workflows.
enum FileFingerprint {
    static func of(_ paths: [String]) -> String {
        var entries: [String] = []
        let manager = FileManager.default
        for root in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isFolder) else {
                entries.append("\(root):missing")
                continue
            }
            let files: [String]
            if isFolder.boolValue {
                files = (manager.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).map { root + "/" + $0 }
            } else {
                files = [root]
            }
            for file in files.sorted() {
                guard let attributes = try? manager.attributesOfItem(atPath: file) else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                entries.append("\(file):\(size):\(modified)")
            }
        }
        return entries.joined(separator: "\n")
    }
}
