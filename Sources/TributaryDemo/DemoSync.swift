import Foundation
import Git
public import Tributary

/// The sub-tree maintainer's part of the demo: mainline moves on to v7.0-rc2, which took the
/// typo fix THP carries too; THP Maintainer syncs the thp tree's for-next onto it (the fix is
/// dropped as already upstream, the rest replayed), and VMA Maintainer writes a pull request
/// whose readiness shows the missing THP ack.
public enum DemoSync {
    public static func run(_ forest: DemoForest) throws -> (sync: Syncer.Report, request: PullRequest) {
        guard let thp = forest.trees.first(where: { $0.name == "thp" }),
            let vma = forest.trees.first(where: { $0.name == "vma" })
        else { throw TributaryError.environment("the demo forest has no thp or vma tree") }
        let repository = try Repository(at: thp.repositoryPath)
        let config = try ConfigFile(path: repository.gitDirectory + "config")
        try config.set("user.name", to: DemoPerson.thpMaintainer.name)
        try config.set("user.email", to: DemoPerson.thpMaintainer.email)

        // v7.0-rc2: rc1, the typo fix as memblock posted it, and a release commit.
        let rc1 = try repository.resolveCommit("refs/tags/\(DemoContent.mainlineTag)")
        guard let fix = thp.commits.last else { throw TributaryError.environment("thp has no commits") }
        let fixCommit = try repository.commit(fix)
        let fixedPageAlloc = try repository.entry(at: "mm/page_alloc.c", in: fixCommit.tree)!
        let mainline = DemoPerson.mainline
        let time: Int64 = 1_773_000_000
        var tree = try repository.writeTree(
            base: repository.treeOfCommit(rc1),
            edits: [.upsert(path: "mm/page_alloc.c", blob: fixedPageAlloc.id, mode: fixedPageAlloc.mode)])
        var tip = try repository.createCommit(
            tree: tree, parents: [rc1], author: fixCommit.author, committer: mainline.signature(at: time),
            message: fixCommit.message)
        tree = try repository.writeTree(
            base: tree, edits: [.upsert(path: "RELEASE", blob: try repository.writeBlob("7.0-rc2\n"), mode: .regular)])
        tip = try repository.createCommit(
            tree: tree, parents: [tip], author: mainline.signature(at: time + 60),
            committer: mainline.signature(at: time + 60), message: "Linux 7.0-rc2\n")
        try repository.updateReference("refs/tags/v7.0-rc2", to: tip, expecting: nil, message: "demo: v7.0-rc2")
        let sync = try Syncer(repository: repository).run(branch: "for-next", onto: tip)

        // VMA's pull request, from the integration repository.
        let integration = try Repository(at: forest.integrationPath)
        let manifest = try Manifest.load(from: Manifest.defaultPath(for: integration))
        let vmaTree = try manifest.tree(named: vma.name)
        let integrationTip = try integration.referenceTarget("refs/heads/\(forest.integrationBranch)")
        let request = try PullRequest.build(
            repository: integration, base: try integration.resolveCommit("refs/tags/\(DemoContent.mainlineTag)"),
            tip: try integration.resolveCommit(vmaTree.reference), url: vmaTree.url, branch: vmaTree.branch,
            policy: try manifest.policy(for: vmaTree),
            integration: integrationTip.map { (forest.integrationBranch, $0) },
            otherTrees: try manifest.trees.filter { $0.name != vma.name }.compactMap { tree in
                try integration.referenceTarget(tree.reference).map { (tree.name, $0) }
            })
        return (sync, request)
    }
}
