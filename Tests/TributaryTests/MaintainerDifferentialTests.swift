import Foundation
import Git
import Testing
import Tributary

/// `trib who`'s answers against the kernel's get_maintainer.pl on the kernel's MAINTAINERS.
@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: no kernel MAINTAINERS to compare on"))
struct MaintainerDifferentialTests {
    /// A temporary tree holding MAINTAINERS, .mailmap and empty files at `paths`, which
    /// get_maintainer.pl needs to exist.
    static func makeTree(paths: [String]) throws -> (directory: URL, directories: Set<String>) {
        let maintainers = SharedData.maintainersDirectory!
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-who-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("MAINTAINERS"),
            withDestinationURL: maintainers.appendingPathComponent("MAINTAINERS"))
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent(".mailmap"),
            withDestinationURL: maintainers.appendingPathComponent(".mailmap"))
        var directories = Set<String>()
        for path in paths {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: Data())
            var components = path.split(separator: "/").dropLast()
            while !components.isEmpty {
                directories.insert(components.joined(separator: "/"))
                components = components.dropLast()
            }
        }
        return (directory, directories)
    }

    /// Paths drawn from the F: patterns (the file itself, or a made-up file in the directory or
    /// glob), made-up files beside them, and files one directory deeper.
    static func samplePaths(_ file: MaintainersFile, count: Int) -> [String] {
        var random = SeededRandom(seed: 17)
        var paths = Set<String>()
        let patterns = file.sections.flatMap { $0.values("F") }.filter { !$0.contains(" ") && !$0.isEmpty }
        var index = 0
        while paths.count < count && index < patterns.count * 4 {
            let pattern = patterns[Int(random.next() % UInt64(patterns.count))]
            index += 1
            var concrete = ""
            var inClass = false
            var classDone = false
            for character in pattern {
                if inClass {
                    if character == "]" {
                        inClass = false
                    } else if !classDone {
                        concrete.append(character)
                        classDone = true
                    }
                    continue
                }
                switch character {
                case "*": concrete += "trib"
                case "?": concrete += "x"
                case "[":
                    inClass = true
                    classDone = false
                default: concrete.append(character)
                }
            }
            let directory: String
            if concrete.hasSuffix("/") {
                directory = String(concrete.dropLast())
                paths.insert(concrete + "made_up.c")
            } else {
                paths.insert(concrete)
                directory = concrete.split(separator: "/").dropLast().joined(separator: "/")
            }
            let prefix = directory.isEmpty ? "" : directory + "/"
            switch random.next() % 3 {
            case 0: paths.insert(prefix + "beside_\(index).c")
            case 1: paths.insert(prefix + "deeper/file_\(index).h")
            default: paths.insert(concrete + "suffix")
            }
        }
        // A path cannot be both a file and a directory in the tree.
        let asDirectories = Set(
            paths.flatMap { path in
                let parts = path.split(separator: "/").dropLast()
                return parts.indices.map { parts[...$0].joined(separator: "/") }
            })
        return paths.filter {
            !asDirectories.contains($0) && !$0.hasPrefix("/") && !$0.contains("..") && $0 != "MAINTAINERS"
        }.sorted()
    }

    @Test(
        "trib who agrees with get_maintainer.pl on 2,000+ paths",
        .enabled(
            if: SharedData.kernelScriptsAvailable,
            "get_maintainer.pl could not be fetched (../shared/tools/kernel-scripts)")
    )
    func paths() throws {
        let maintainersURL = SharedData.maintainersDirectory!
        let file = MaintainersFile(
            contents: try String(contentsOf: maintainersURL.appendingPathComponent("MAINTAINERS"), encoding: .utf8))
        // TRIB_WHO_PATHS lowers the count while working on the matcher.
        let wanted = ProcessInfo.processInfo.environment["TRIB_WHO_PATHS"].flatMap(Int.init) ?? 2100
        let paths = Self.samplePaths(file, count: wanted)
        #expect(paths.count >= min(wanted, 2000))
        let (directory, directories) = try Self.makeTree(paths: paths)
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = try GetMaintainerBatch(
            directory: directory.path, options: ["--no-tree", "--no-git", "--no-git-fallback", "--roles", "-f"]
        )
        .run(paths.map { [$0] })
        #expect(expected.count == paths.count)
        let mailmap = MaintainerMailmap(
            contents: try String(contentsOf: maintainersURL.appendingPathComponent(".mailmap"), encoding: .utf8))
        let lookup = MaintainerLookup(index: OwnershipIndex(file, directories: directories), mailmap: mailmap)
        var differences: [String] = []
        for (path, theirs) in zip(paths, expected) {
            let ours = lookup.answer(paths: [path]).recipients.map(\.line)
            if ours != theirs {
                differences.append(
                    "\(path):\n  ours:   \(ours.joined(separator: "\n          "))\n  theirs: \(theirs.joined(separator: "\n          "))"
                )
            }
        }
        #expect(
            differences.isEmpty,
            "\(differences.count) of \(paths.count) paths differ:\n\(differences.prefix(8).joined(separator: "\n"))")
    }

    @Test(
        "trib who agrees with get_maintainer.pl on the real patches of the linux-watchdog threads",
        .enabled(
            if: SharedData.kernelScriptsAvailable,
            "get_maintainer.pl could not be fetched (../shared/tools/kernel-scripts)")
    )
    func patches() throws {
        let maintainersURL = SharedData.maintainersDirectory!
        let mboxes = SharedData.dataDirectory!.appendingPathComponent("mbox/linux-watchdog")
        var patches: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: mboxes.path).sorted()
        where name.hasSuffix(".mbox") {
            patches += try SharedData.messages(inMbox: mboxes.appendingPathComponent(name)).filter {
                $0.contains("\ndiff --git ")
            }
        }
        #expect(patches.count >= 100)
        let (directory, _) = try Self.makeTree(paths: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        var queries: [[String]] = []
        for (number, patch) in patches.enumerated() {
            let name = "patch-\(number).mbox"
            try Data(patch.utf8).write(to: directory.appendingPathComponent(name))
            queries.append([name])
        }
        let expected = try GetMaintainerBatch(
            directory: directory.path, options: ["--no-tree", "--no-git", "--no-git-fallback", "--roles"]
        ).run(queries)
        #expect(expected.count == patches.count)
        let file = MaintainersFile(
            contents: try String(contentsOf: maintainersURL.appendingPathComponent("MAINTAINERS"), encoding: .utf8))
        let mailmap = MaintainerMailmap(
            contents: try String(contentsOf: maintainersURL.appendingPathComponent(".mailmap"), encoding: .utf8))
        let lookup = MaintainerLookup(index: OwnershipIndex(file), mailmap: mailmap)
        var differences: [String] = []
        for (number, (patch, theirs)) in zip(patches, expected).enumerated() {
            let ours = lookup.answer(patch: patch).recipients.map(\.line)
            if ours != theirs {
                differences.append(
                    "patch \(number) (\(patch.split(separator: "\n").first { $0.hasPrefix("Subject:") } ?? "")):\n  ours:   \(ours.joined(separator: "\n          "))\n  theirs: \(theirs.joined(separator: "\n          "))"
                )
            }
        }
        #expect(
            differences.isEmpty,
            "\(differences.count) of \(patches.count) patches differ:\n\(differences.prefix(6).joined(separator: "\n"))"
        )
    }
}

/// SplitMix64, for reproducible samples.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
