import Actions
import Core
import Foundation
import SentenceEmbedding

/// The sentence encoder that guide ranking and text grouping read meaning
/// with, loaded once per process: from `$TICKETFLOW_MODEL`, else from
/// `models/all-mpnet-base-v2` in the current folder (`scripts/fetch-model`
/// puts it there). Without it, ranking and grouping use words only;
/// `TICKETFLOW_MODEL=off` asks for that.
///
/// The model is changed by the adapter `scripts/tune-model` learned from
/// resolved tickets: `$TICKETFLOW_ADAPTER`, else `tuning/adapter.safetensors`
/// when it is there (`TICKETFLOW_ADAPTER=off` leaves it out). An adapter
/// named in the variable must fit the model; the one found in `tuning/` is
/// left out, with a note, when it does not (it was learned on another model).
enum SentenceModel {
    static let directory: String = {
        let chosen = ProcessInfo.processInfo.environment["TICKETFLOW_MODEL"] ?? ""
        return chosen.isEmpty ? SentenceEncoder.defaultDirectory : chosen
    }()

    /// The adapter asked for, and whether the variable named it.
    static let adapter: (path: String, named: Bool)? = {
        let chosen = ProcessInfo.processInfo.environment["TICKETFLOW_ADAPTER"] ?? ""
        if chosen == "off" { return nil }
        if !chosen.isEmpty { return (chosen, true) }
        let found = SentenceEncoder.defaultAdapter
        return FileManager.default.fileExists(atPath: found) ? (found, false) : nil
    }()

    private static let loaded: (encoder: SentenceEncoder?, problem: String?) = {
        guard directory != "off" else { return (nil, "TICKETFLOW_MODEL=off") }
        do throws(SentenceEncoderError) {
            return (try SentenceEncoder(directory: directory, adapter: adapter?.path), nil)
        } catch where adapter?.named == false && error.path == adapter?.path {
            Output.standardError.line("note: adapter left out: \(error)")
            do throws(SentenceEncoderError) {
                return (try SentenceEncoder(directory: directory), nil)
            } catch {
                return (nil, "\(error)")
            }
        } catch {
            return (nil, "\(error)")
        }
    }()

    static var encoder: SentenceEncoder? { loaded.encoder }

    /// Why there is no encoder, for a note: `nil` when there is one.
    static var problem: String? { loaded.problem }

    /// One line saying what `doing` ("guides ranked") reads, for people.
    static func note(_ doing: String = "guides ranked") -> String {
        if let encoder {
            return "\(doing) on words and meaning (\(encoder.directory)\(encoder.adapter.map { ", tuned by \($0)" } ?? ""))"
        }
        let isAdapter = adapter.map { problem?.hasPrefix($0.path + ":") == true } ?? false
        let hint = isAdapter ? "TICKETFLOW_ADAPTER=off reads without it" : "scripts/fetch-model fetches it"
        return "\(doing) on words only: \(problem ?? "no model") (\(hint))"
    }

    static let cache: EncodingCache? = encoder.map { EncodingCache(encoder: $0) }

    /// The guides under `folder`, read with this model and its cache; a new
    /// guide set's encoding is announced on standard error.
    static func knowledgeBase(_ folder: String) -> (KnowledgeBase, [Diagnostic]) {
        let progress = EncodingProgress(folder: folder)
        return KnowledgeBase.load(directory: folder, encoder: encoder, cache: cache) { progress.report(done: $0, total: $1) }
    }
}
