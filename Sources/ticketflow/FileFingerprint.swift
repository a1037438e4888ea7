import Foundation

/// A summary of the files a daemon loads (path, size, modification time of
/// each workflow, guide and configuration file) that changes when any of
/// them is saved, added or removed: cheap enough to take every few seconds,
/// which is how the daemon notices edits. Symbolic links are followed (a
/// deploy often links files into place); hidden files and folders (editor
/// swap files, `.git`) and files of other kinds are left out, so they
/// cause no reloads.
enum FileFingerprint {
    static let extensions: Set<String> = ["yaml", "yml", "md"]

    static func of(_ paths: [String]) -> String {
        var entries: [String] = []
        let manager = FileManager.default
        for root in paths {
            let rootURL = URL(fileURLWithPath: root).resolvingSymlinksInPath()
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: rootURL.path, isDirectory: &isFolder) else {
                entries.append("\(root):missing")
                continue
            }
            var files: [URL] = [rootURL]
            if isFolder.boolValue {
                let walker = manager.enumerator(
                    at: rootURL, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
                files = (walker?.compactMap { $0 as? URL } ?? []).filter { extensions.contains($0.pathExtension) }
            }
            for file in files.sorted(by: { $0.path < $1.path }) {
                let target = file.resolvingSymlinksInPath()
                guard let attributes = try? manager.attributesOfItem(atPath: target.path) else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                entries.append("\(file.path):\(size):\(modified)")
            }
        }
        return entries.joined(separator: "\n")
    }
}
