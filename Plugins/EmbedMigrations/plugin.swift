import Foundation
import PackagePlugin

/// Embeds top-level files into the binary as Swift source, so `pilar` carries them and runs
/// from any working directory: `Migrations/*.sql` into PilarCore (`embeddedMigrations`) and
/// `openapi.yaml` into PilarAPI (`embeddedOpenAPI`), and the web app's files `Web/*` into PilarAPI
/// (`embeddedWebFiles`, with content-hashed names so browsers may cache them for good).
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
        var commands: [Command] = []
        if target.name == "PilarAPI" {
            let web = root.appendingPathComponent("Web")
            let webFiles = try FileManager.default.contentsOfDirectory(atPath: web.path)
                .filter { !$0.hasPrefix(".") }.sorted().map { web.appendingPathComponent($0) }
            let webOutput = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedWeb.swift")
            commands.append(.buildCommand(
                displayName: "Embedding \(webFiles.count) web file(s) into \(target.name)",
                executable: tool,
                arguments: ["web", webOutput.path] + webFiles.map(\.path),
                inputFiles: webFiles,
                outputFiles: [webOutput]))
        }
        return commands + [
            .buildCommand(
                displayName: "Embedding \(files.count) file(s) into \(target.name)",
                executable: tool,
                arguments: [mode, output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
