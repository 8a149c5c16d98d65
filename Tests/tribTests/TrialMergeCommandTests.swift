import Foundation
import Git
import GitFixtures
import Testing

/// `trib trial-merge` against `git merge-tree --write-tree`, and its JSON against its schema.
@Suite struct TrialMergeCommandTests {
    @Test("trib trial-merge BASE REF prints git merge-tree's tree, or its conflicted paths, on 24 generated pairs")
    func differential() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 99)
        let pairs = try generator.makePairs(24, in: fixture)
        var validated = Set<String>()
        for pair in pairs {
            let git = try fixture.git.run([
                "merge-tree", "--write-tree", "--name-only", "--no-messages", pair.ours.hex, pair.theirs.hex,
            ])
            let gitLines = git.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let ours = try TribCommand.run([
                "trial-merge", "-C", fixture.path, "--json", pair.ours.hex, pair.theirs.hex,
            ])
            #expect(ours.status == git.status, "\(pair.scenarios): \(ours.errorOutput)")
            let document = try JSONSerialization.jsonObject(with: Data(ours.output.utf8)) as! [String: Any]
            let step = try #require((document["steps"] as? [[String: Any]])?.first)
            if git.status == 0 {
                #expect(step["outcome"] as? String == "clean")
                #expect(step["tree"] as? String == gitLines.first)
            } else {
                #expect(step["outcome"] as? String == "conflict")
                let paths = (step["conflicts"] as? [[String: Any]] ?? []).flatMap { $0["paths"] as? [String] ?? [] }
                #expect(Set(paths) == Set(gitLines.dropFirst().prefix { !$0.isEmpty }), "\(pair.scenarios)")
            }
            if validated.insert(step["outcome"] as? String ?? "").inserted {
                try SchemaValidation.validate(ours.output, schema: "trial-merge")
            }
        }
        #expect(validated == ["clean", "conflict"])
    }

    @Test("the text output shows each hunk in diff3 layout and the commits of each side")
    func text() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["mm/slub.c": "a\nb\nc\n"])
        let ours = try fixture.commit("slub: B1", files: ["mm/slub.c": "a\nB1\nc\n"], on: "ours", from: base)
        let theirs = try fixture.commit("slub: B2", files: ["mm/slub.c": "a\nB2\nc\n"], on: "theirs", from: base)
        let result = try TribCommand.run(["trial-merge", "-C", fixture.path, "ours", "theirs"])
        #expect(result.status == 1)
        let expected = """
            step 1: theirs at \(theirs.abbreviated()): CONFLICT in 1 path
              content: mm/slub.c
                base: mm/slub.c 100644 \(try fixture.repository.entry(at: "mm/slub.c", in: fixture.repository.treeOfCommit(base))!.id.abbreviated())
                ours: mm/slub.c 100644 \(try fixture.repository.entry(at: "mm/slub.c", in: fixture.repository.treeOfCommit(ours))!.id.abbreviated())
                theirs: mm/slub.c 100644 \(try fixture.repository.entry(at: "mm/slub.c", in: fixture.repository.treeOfCommit(theirs))!.id.abbreviated())
                @@ base 2,1 ours 2,1 theirs 2,1 @@
                <<<<<<< ours
                B1
                ||||||| base
                b
                =======
                B2
                >>>>>>> theirs
                ours:   \(ours.abbreviated()) "slub: B1" (Ada Author)
                theirs: \(theirs.abbreviated()) "slub: B2" (Ada Author)

            """
        #expect(result.output == expected)
        let unknown = try TribCommand.run(["trial-merge", "-C", fixture.path, "ours", "nosuch"])
        #expect(unknown.status == 2)
    }
}
