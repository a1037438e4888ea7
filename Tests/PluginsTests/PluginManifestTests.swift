import Actions
import Core
import Foundation
import Plugins
import Testing
import Workflows

@Suite("Plugin manifests and plugin steps, validated like built-in actions")
struct PluginManifestTests {
    func write(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-manifests-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    let notifier = """
        name: notifier
        version: 1.0.0
        protocol: 1
        command: [./run]
        actions:
          post:
            summary: Posts a message.
            parameters:
              channel: { type: string, required: true }
              urgency: { type: enum, values: [low, high], default: low }
              count: int
              mentions: { type: list, items: string }
        """

    @Test func manifest_becomesActionSpecs() throws {
        let root = try write(["plugins/notifier/plugin.yaml": notifier])
        defer { try? FileManager.default.removeItem(at: root) }
        let (plugins, diagnostics) = PluginManifestLoader.loadAll(folder: root.path + "/plugins")
        #expect(diagnostics.isEmpty)
        let spec = try #require(plugins.first?.actions.first?.spec)
        #expect(spec.name == "notifier.post")
        #expect(spec.emits == "plugin.requested")
        #expect(spec.parameters == [
            ParameterSpec("channel", .string, required: true, summary: ""),
            ParameterSpec("urgency", .oneOf(["low", "high"]), default: "low", summary: ""),
            ParameterSpec("count", .int, summary: ""),
            ParameterSpec("mentions", .list(.string), summary: ""),
        ])
        #expect(plugins.first?.actions.first?.timeout == .seconds(10))
    }

    @Test func manifest_problems_areReportedWithFileLineAndColumn() throws {
        let root = try write(["plugins/bad/plugin.yaml": """
            name: bad
            version: 1.0.0
            protocol: 9
            command: "run.sh --flag"
            timeot: 5s
            actions:
              post:
                parameters:
                  text: { type: strng }
                  level: { type: enum }
                  when: { type: string, required: true, default: x }
            """])
        defer { try? FileManager.default.removeItem(at: root) }
        let (plugins, diagnostics) = PluginManifestLoader.loadAll(folder: root.path + "/plugins")
        #expect(plugins.isEmpty)
        let file = root.path + "/plugins/bad/plugin.yaml"
        #expect(diagnostics.map(\.description) == [
            "\(file):5:1: error[E0801]: unknown key `timeot` in plugin manifest; did you mean `timeout`?",
            "\(file):3:11: error[E0802]: protocol version 9 is not supported; this ticketflow speaks 1",
            "\(file):4:10: error[E0803]: `command` must be a non-empty list: the program, then its arguments (no shell is used)",
            "\(file):9:21: error[E0801]: unknown parameter type `strng`; did you mean `string`?",
            "\(file):10:22: error[E0801]: enum parameter `bad.post.level` needs `values`: a non-empty list of words",
            "\(file):11:54: error[E0801]: `bad.post.when` cannot be both required and have a default",
        ])
    }

    @Test func pluginSteps_areCheckedAgainstTheManifest_likeBuiltIns() throws {
        let root = try write([
            "plugins/notifier/plugin.yaml": notifier,
            "workflows/w.yaml": """
                workflow: w
                on: ticket.created
                steps:
                  - notifier.post:
                      chanel: "#support"
                      urgency: loud
                      count: many
                  - notifier.pots: { channel: x }
                """,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let (plugins, _) = PluginManifestLoader.loadAll(folder: root.path + "/plugins")
        var catalog = BuiltinActions.registry.catalog
        for action in plugins.flatMap(\.actions) { catalog.add(action.spec) }
        let file = root.path + "/workflows/w.yaml"
        let (_, diagnostics) = WorkflowLoader(catalog: catalog).loadFile(file)
        #expect(diagnostics.sortedByLocation().map(\.description) == [
            "\(file):5:7: error[E0210]: `notifier.post` has no parameter `chanel`; did you mean `channel`?",
            "\(file):5:7: error[E0211]: `notifier.post` needs parameter `channel`",
            "\(file):6:16: error[E0212]: `notifier.post.urgency` must be one of low, high, got \"loud\"",
            "\(file):7:14: error[E0212]: `notifier.post.count` must be a whole number, got \"many\"",
            "\(file):8:5: error[E0205]: unknown plugin action `notifier.pots`; did you mean `notifier.post`?",
        ])
    }

    @Test func pluginNamedLikeABuiltIn_isRefused() throws {
        let root = try write(["plugins/tag/plugin.yaml": notifier.replacingOccurrences(of: "name: notifier", with: "name: tag")])
        defer { try? FileManager.default.removeItem(at: root) }
        let (plugins, diagnostics) = PluginManifestLoader.loadAll(folder: root.path + "/plugins", reserved: ["tag"])
        #expect(plugins.isEmpty)
        #expect(diagnostics.map(\.code) == [.duplicatePlugin])
    }
}
