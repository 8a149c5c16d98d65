import Foundation
import Git
import GitFixtures
import Testing

@Suite struct RepositoryTests {
    @Test("init, open and discover bare and non-bare repositories")
    func openAndDiscover() throws {
        let fixture = try FixtureRepository()
        #expect(!fixture.repository.isBare)
        #expect(fixture.repository.workTree == fixture.path + "/")
        let subdirectory = fixture.path + "/mm/kasan"
        try FileManager.default.createDirectory(atPath: subdirectory, withIntermediateDirectories: true)
        let discovered = try Repository.discover(from: subdirectory)
        #expect(discovered.gitDirectory == fixture.repository.gitDirectory)
        #expect(throws: GitError.self) { try Repository(at: subdirectory) }

        let bare = try FixtureRepository(bare: true)
        #expect(bare.repository.isBare)
        #expect(bare.repository.workTree == nil)
        #expect(try bare.repository.head() == nil)
        #expect(try bare.repository.headBranch() == "refs/heads/main")
        #expect(try bare.git("rev-parse", "--is-bare-repository") == "true\n")
    }

    @Test("commits round-trip: message, signatures with time zones, parents, tree")
    func commitRoundTrip() throws {
        let fixture = try FixtureRepository()
        let author = Signature(name: "Zoë Ünicode", email: "zoe@example.org", time: 1_700_000_000, timeZoneOffset: 330)
        let committer = Signature(
            name: "Max Maintainer", email: "max@example.org", time: 1_700_000_600, timeZoneOffset: -420)
        let root = try fixture.commit(
            "mm: add slab\n\nBody line.", files: ["mm/slab.c": "int x;\n"], author: author, committer: committer,
            trailers: [("Signed-off-by", "Zoë Ünicode <zoe@example.org>")])
        let commit = try fixture.repository.commit(root)
        #expect(commit.author == author)
        #expect(commit.committer == committer)
        #expect(commit.message == "mm: add slab\n\nBody line.\n\nSigned-off-by: Zoë Ünicode <zoe@example.org>\n")
        #expect(commit.summary == "mm: add slab")
        #expect(commit.parents.isEmpty)
        #expect(
            try fixture.git("log", "-1", "--format=%an|%ae|%ai|%cn|%ci|%s", root.hex)
                == "Zoë Ünicode|zoe@example.org|2023-11-15 03:43:20 +0530|Max Maintainer|2023-11-14 15:23:20 -0700|mm: add slab\n"
        )
        #expect(author.formattedOffset == "+0530" && committer.formattedOffset == "-0700")
        let child = try fixture.commit("second", files: ["mm/slab.c": .deleted, "mm/slub.c": .executable("y\n")])
        #expect(try fixture.repository.commit(child).parents == [root])
        #expect(
            try fixture.git("ls-tree", "-r", child.hex)
                == "100755 blob \(try fixture.repository.writeBlob("y\n").hex)\tmm/slub.c\n")
        #expect(try fixture.repository.resolveCommit("main~1") == root)
        #expect(
            try fixture.repository.fileContents(at: "mm/slub.c", in: fixture.repository.commit(child).tree)
                == Array("y\n".utf8))
    }

    @Test("changed paths equal git diff --name-only, also across type changes")
    func changedPaths() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 3)
        let commits = try generator.makeCommits(60, in: fixture)
        let typeChange = try fixture.commit("dir becomes file", files: ["kernel": "now a file\n"])
        let backToDirectory = try fixture.commit(
            "file becomes dir", files: ["kernel": .deleted, "kernel/sub.c": "x\n", "kernel.c": "y\n"])
        for (id, _) in commits.dropFirst() + [(typeChange, .edit), (backToDirectory, .edit)] {
            let commit = try fixture.repository.commit(id)
            let parent = try fixture.repository.commit(commit.parents[0])
            let expected = try fixture.git("diff", "--no-renames", "--name-only", parent.id.hex, id.hex)
                .split(separator: "\n").map { String($0) }.map(unquote).sorted()
            #expect(try fixture.repository.changedPaths(from: parent.tree, to: commit.tree) == expected)
            // The same files with their entries, a directory being no file.
            let files = try fixture.repository.changedFiles(from: parent.tree, to: commit.tree)
            #expect(files.map(\.path) == expected)
            for file in files {
                let old = try fixture.repository.entry(at: file.path, in: parent.tree)
                let new = try fixture.repository.entry(at: file.path, in: commit.tree)
                #expect(file.old == (old?.mode.isTree == true ? nil : old), "\(file.path)")
                #expect(file.new == (new?.mode.isTree == true ? nil : new), "\(file.path)")
            }
        }
    }

    /// Undoes git's C-style quoting of a path with non-ASCII bytes.
    func unquote(_ path: String) -> String {
        guard path.hasPrefix("\""), path.hasSuffix("\"") else { return path }
        var bytes: [UInt8] = []
        var characters = Array(path.utf8.dropFirst().dropLast())[...]
        while let byte = characters.popFirst() {
            if byte == 0x5C, characters.count >= 3,
                let value = UInt8(String(decoding: characters.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                characters = characters.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("diff stats and patch text equal git's")
    func diffStatsAndPatch() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["a.c": "1\n2\n3\n", "b.c": "x\n"])
        let next = try fixture.commit("next", files: ["a.c": "1\ntwo\n3\n4\n", "b.c": .deleted, "c.c": "new\n"])
        let diff = try fixture.repository.diff(
            from: fixture.repository.commit(base).tree, to: fixture.repository.commit(next).tree)
        #expect(try diff.stats() == DiffStats(filesChanged: 3, insertions: 3, deletions: 2))
        #expect(diff.changes.map(\.status) == [.modified, .deleted, .added])
        #expect(try diff.patch() == fixture.git("diff", "--full-index", base.hex, next.hex))
    }
}

@Suite struct ReferenceTests {
    @Test("compare-and-swap updates: create, move, delete; a stale expectation changes nothing")
    func compareAndSwap() throws {
        for bare in [false, true] {
            let fixture = try FixtureRepository(bare: bare)
            let one = try fixture.commit("one", files: ["f": "1\n"], on: "scratch")
            let two = try fixture.commit("two", files: ["f": "2\n"], on: "scratch")
            let repository = fixture.repository
            _ = try fixture.git("config", "user.name", "Ref Writer")
            _ = try fixture.git("config", "user.email", "refs@example.org")
            let name = "refs/tributary/trees/slab"
            try repository.updateReference(name, to: one, expecting: nil, message: "trib: test create")
            #expect(throws: GitError.self) {
                try repository.updateReference(name, to: two, expecting: nil, message: "x")
            }
            try repository.updateReference(name, to: two, expecting: one, message: "trib: test move")
            let stale = #expect(throws: GitError.self) {
                try repository.updateReference(name, to: one, expecting: one, message: "x")
            }
            #expect(stale?.code == .modified)
            #expect(try repository.referenceTarget(name) == two)
            let log = try repository.reflog(of: name)
            #expect(log.map(\.message) == ["trib: test move", "trib: test create"])
            #expect(log.first?.old == one && log.first?.new == two)
            #expect(try fixture.git("reflog", "show", "--format=%gs", name) == "trib: test move\ntrib: test create\n")
            // Written as git writes it: git reads back the identity, and its own next entry follows ours.
            #expect(
                try fixture.git("reflog", "show", "--format=%gn <%ge>", name)
                    == "Ref Writer <refs@example.org>\nRef Writer <refs@example.org>\n")
            _ = try fixture.git("update-ref", "--create-reflog", "-m", "git: moved back", name, one.hex, two.hex)
            #expect(
                try fixture.git("reflog", "show", "--format=%gs", name)
                    == "git: moved back\ntrib: test move\ntrib: test create\n")
            try repository.updateReference(name, to: two, expecting: one, message: "trib: again\nsecond line")
            #expect(
                try repository.reflog(of: name).prefix(2).map(\.message) == [
                    "trib: again second line", "git: moved back",
                ])
            #expect(!FileManager.default.fileExists(atPath: repository.gitDirectory + "logs/\(name).lock"))
            try repository.updateReference(name, to: nil, expecting: two, message: "trib: drop")
            #expect(try repository.referenceTarget(name) == nil)
            #expect(throws: GitError.self) {
                try repository.updateReference("refs/heads/bad..name", to: one, expecting: nil, message: "x")
            }
            #expect(try repository.references(matching: "refs/heads/*").map(\.name) == ["refs/heads/scratch"])
        }
    }
}

@Suite struct ConfigFileTests {
    @Test("reads and writes git-config syntax like git config")
    func readWrite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manifest").path
        let config = try ConfigFile(path: path)
        try config.set("tree.Slab.url", to: "https://example.org/slab.git")
        try config.set("tree.Slab.branch", to: "for-next")
        try config.add("tree.Slab.owns", value: "SLAB ALLOCATOR")
        try config.add("tree.Slab.owns", value: "MEMORY MANAGEMENT - SLAB")
        try config.set("policy.review", to: "true")
        let git = FixtureGit(directory: directory.path)
        #expect(
            try git("config", "-f", path, "--get-all", "tree.Slab.owns") == "SLAB ALLOCATOR\nMEMORY MANAGEMENT - SLAB\n"
        )
        try git("config", "-f", path, "tree.vma.url", "https://example.org/vma.git")
        let reread = try ConfigFile(path: path)
        #expect(try reread.string("tree.Slab.branch") == "for-next")
        #expect(try reread.strings("tree.Slab.owns") == ["SLAB ALLOCATOR", "MEMORY MANAGEMENT - SLAB"])
        #expect(try reread.bool("policy.review") == true)
        #expect(try reread.string("tree.vma.url") == "https://example.org/vma.git")
        #expect(try reread.entries(matching: "^tree\\.").map(\.name).first == "tree.Slab.url")
        try reread.remove("tree.Slab.owns")
        #expect(try ConfigFile(path: path).strings("tree.Slab.owns") == [])
    }

    @Test("a syntax error names the file and line")
    func syntaxError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "[tree \"slab\"]\n\turl = x\n[broken\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: GitError.self) { try ConfigFile(path: path) }
        #expect(error?.message.contains("\(path):3") == true, "\(error?.message ?? "")")
    }
}

@Suite struct MailmapTests {
    @Test("maps names and addresses as git check-mailmap does")
    func resolve() throws {
        let fixture = try FixtureRepository()
        let text = """
            Ada Lovelace <ada@kernel.org> <ada@old.example>
            <max@kernel.org> <Max@Old.Example>
            Zed Z <zed@kernel.org> Zed <zed@typo.example>
            # a comment
            Only Name <only@kernel.org>
            no address here

            """
        try fixture.commit("mailmap", files: [".mailmap": .text(text)])
        try fixture.git("checkout", "-q", "-f", "main")
        let mailmap = Mailmap(contents: text)
        let people = [
            "A <ada@old.example>", "Max M <max@old.example>", "Zed <zed@typo.example>", "zed <ZED@typo.example>",
            "Other <zed@typo.example>", "Zed <other@x.example>",
        ]
        for person in people {
            let expected = try fixture.git("check-mailmap", person).trimmingCharacters(in: .newlines)
            let name = String(person.prefix { $0 != "<" }.dropLast())
            let email = String(person.drop { $0 != "<" }.dropFirst().dropLast())
            let mapped = mailmap.resolve(name: name, email: email)
            #expect("\(mapped.name) <\(mapped.email)>" == expected)
        }
        #expect(try fixture.repository.mailmap().resolve(name: "A", email: "ada@old.example").email == "ada@kernel.org")
    }
}
