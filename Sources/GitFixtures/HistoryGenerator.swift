public import Git

/// Generates linear histories of varied text commits for differential tests: multi-file edits,
/// whitespace-only changes, additions, deletions, mode changes, renames, empty commits, files
/// without a final newline, one-line files, and paths with spaces and non-ASCII letters.
public struct HistoryGenerator {
    public var random: SeededGenerator
    /// Current files: path → (lines, executable, ends with newline).
    private var files: [String: (lines: [String], executable: Bool, finalNewline: Bool)] = [:]
    private var counter = 0

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private static let directories = [
        "mm", "mm/kasan", "include/linux", "kernel", "Documentation/mm", "tools/testing dir", "drivers/café",
    ]
    private static let words = [
        "page", "folio", "slab", "vma", "lock", "return", "if", "struct", "int", "{", "}", "nr_pages", "gfp_t", "NULL",
        "static", "void",
    ]

    /// The kinds of commit the generator makes, one of which is drawn per commit.
    public enum Kind: CaseIterable, Sendable {
        case edit, multiFileEdit, whitespace, add, delete, modeChange, rename, renameAndEdit, empty, noFinalNewline,
            oneLine, addBinary
    }

    /// Makes `count` commits on `branch` of `fixture`; returns them in order with the kind of each.
    /// Binary files are only added when `includeBinary` is set.
    public mutating func makeCommits(
        _ count: Int,
        in fixture: FixtureRepository,
        branch: String = "main",
        includeBinary: Bool = false
    ) throws -> [(id: ObjectID, kind: Kind)] {
        var made: [(id: ObjectID, kind: Kind)] = []
        if files.isEmpty {
            var initial: [String: FileContent] = [:]
            for _ in 0..<6 { addFile(into: &initial) }
            made.append((try fixture.commit("Initial import", files: initial, on: branch), .add))
        }
        while made.count < count {
            var kind = Kind.allCases.randomElement(using: &random)!
            if kind == .addBinary && !includeBinary { kind = .edit }
            var changes: [String: FileContent] = [:]
            switch kind {
            case .edit: editFile(randomPath(), into: &changes)
            case .multiFileEdit:
                for path in Set((0..<Int.random(in: 2...4, using: &random)).map { _ in randomPath() }).sorted() {
                    editFile(path, into: &changes)
                }
            case .whitespace: whitespaceEdit(randomPath(), into: &changes)
            case .add: addFile(into: &changes)
            case .delete:
                if files.count > 4 {
                    let path = randomPath()
                    files[path] = nil
                    changes[path] = .deleted
                } else {
                    addFile(into: &changes)
                }
            case .modeChange:
                let path = randomPath()
                files[path]!.executable.toggle()
                if Bool.random(using: &random) {
                    editFile(path, into: &changes)
                } else {
                    changes[path] = content(of: path)
                }
            case .rename, .renameAndEdit:
                let old = randomPath()
                let new = newPath()
                files[new] = files[old]
                files[old] = nil
                changes[old] = .deleted
                if kind == .renameAndEdit {
                    editFile(new, into: &changes, small: true)
                } else {
                    changes[new] = content(of: new)
                }
            case .empty: break
            case .noFinalNewline:
                let path = randomPath()
                files[path]!.finalNewline.toggle()
                changes[path] = content(of: path)
            case .oneLine:
                let path = newPath()
                files[path] = ([randomLine()], false, Bool.random(using: &random))
                changes[path] = content(of: path)
            case .addBinary:
                var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0, 0]
                for _ in 0..<64 { bytes.append(UInt8.random(in: 0...255, using: &random)) }
                changes[newPath(extension: "bin")] = .bytes(bytes)
            }
            counter += 1
            let id = try fixture.commit("Change \(counter): \(kind)", files: changes, on: branch)
            made.append((id, kind))
        }
        return made
    }

    private mutating func randomPath() -> String { files.keys.sorted().randomElement(using: &random)! }

    private mutating func newPath(extension ext: String = "c") -> String {
        counter += 1
        let directory = Self.directories.randomElement(using: &random)!
        return "\(directory)/file\(counter).\(ext)"
    }

    private mutating func randomLine() -> String {
        (0..<Int.random(in: 1...6, using: &random)).map { _ in Self.words.randomElement(using: &random)! }
            .joined(separator: " ")
    }

    private mutating func addFile(into changes: inout [String: FileContent]) {
        let path = newPath()
        let lines = (0..<Int.random(in: 3...40, using: &random)).map { _ in
            (Bool.random(using: &random) ? "\t" : "") + randomLine()
        }
        files[path] = (lines, false, true)
        changes[path] = content(of: path)
    }

    private mutating func editFile(_ path: String, into changes: inout [String: FileContent], small: Bool = false) {
        var lines = files[path]!.lines
        for _ in 0..<(small ? 1 : Int.random(in: 1...4, using: &random)) {
            let position = Int.random(in: 0...lines.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                lines.insert(
                    contentsOf: (0..<Int.random(in: 1...3, using: &random)).map { _ in randomLine() }, at: position)
            case 1 where !lines.isEmpty && lines.count > 1: lines.remove(at: min(position, lines.count - 1))
            default:
                if lines.isEmpty {
                    lines.append(randomLine())
                } else {
                    lines[min(position, lines.count - 1)] = randomLine()
                }
            }
        }
        files[path]!.lines = lines
        changes[path] = content(of: path)
    }

    private mutating func whitespaceEdit(_ path: String, into changes: inout [String: FileContent]) {
        var lines = files[path]!.lines
        let index = Int.random(in: 0..<lines.count, using: &random)
        lines[index] = lines[index].hasPrefix("\t") ? "    " + lines[index].dropFirst() : lines[index] + "  "
        files[path]!.lines = lines
        changes[path] = content(of: path)
    }

    private func content(of path: String) -> FileContent {
        let file = files[path]!
        var text = file.lines.joined(separator: "\n")
        if file.finalNewline && !file.lines.isEmpty { text += "\n" }
        return file.executable ? .executable(text) : .text(text)
    }
}
