import Foundation
import PackagePlugin

/// Embeds top-level files into the binary as Swift source, so `pilar` carries them and runs
/// from any working directory: `Migrations/*.sql` into PilarCore (`embeddedMigrations`) and
/// `openapi.yaml` into PilarAPI (`embeddedOpenAPI`).
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let tool = try context.tool(named: "EmbedMigrationsTool").url
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Embedded\(target.name).swift")
        let files: [URL]
        let mode: String
        if target.name == "PilarAPI" {
            mode = "openapi"
            files = [root.appendingPathComponent("openapi.yaml")]
        } else {
            mode = "migrations"
            let dir = root.appendingPathComponent("Migrations")
            files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                .filter { $0.hasSuffix(".sql") }.sorted().map { dir.appendingPathComponent($0) }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) file(s) into \(target.name)",
                executable: tool,
                arguments: [mode, output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
