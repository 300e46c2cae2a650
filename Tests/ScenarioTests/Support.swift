import Foundation

/// The repository's root (this file is Tests/ScenarioTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func files(in directory: String, withExtension ext: String) -> [URL] {
    let dir = repositoryRoot.appendingPathComponent(directory)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix("." + ext) }.sorted().map { dir.appendingPathComponent($0) }
}
