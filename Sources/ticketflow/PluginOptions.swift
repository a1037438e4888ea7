import ArgumentParser
import Plugins

/// `--plugins DIR`: where plugin manifests are read from, for every command
/// that loads workflows (plugin steps are checked against them).
struct PluginOptions: ParsableArguments {
    @Option(name: .long, help: "Folder of plugins (each in NAME/plugin.yaml); a missing folder has none.")
    var plugins: String = PluginManifestLoader.defaultFolder
}
