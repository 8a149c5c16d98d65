import Foundation
import Git

/// `git rebase ONTO` of a branch's new commits, in memory: the non-merge commits of the tip that
/// `onto` lacks, oldest first, each three-way merged onto the running result (its parent as the
/// base) and committed with its author and message. Left out, as git leaves them out: commits
/// whose patch-id is among those `onto` has and the tip lacks (already applied), and commits
/// that become empty. The first commit that conflicts stops the replay. Only objects are
/// written.
struct Rebase {
    let repository: Repository
    /// Where patch-ids are kept (`PatchIDLookup`).
    var index: IndexDatabase? = nil

    struct Result {
        /// The running result: the last replayed commit, or `onto`.
        var tip: ObjectID
        /// The new commits, oldest first.
        var replayed: [ObjectID] = []
        /// The commits left out, oldest first.
        var dropped: [ObjectID] = []
        /// The commit that conflicts, its first parent and the merge index; nil when all replayed.
        var conflict: (commit: ObjectID, parent: ObjectID?, index: MergeIndex)?
    }

    /// Replays `commits` (the tip's commits `onto` lacks, newest first, as history walks give
    /// them) onto `onto`. `committer`: who commits the replayed commits, now; nil keeps each
    /// commit's own committer (a trial replay gives the same commits every time).
    func replay(_ commits: [ObjectID], onto: ObjectID, tip: ObjectID, committer: Signature?) throws -> Result {
        var result = Result(tip: onto)
        // What `onto` has that the tip lacks: a commit of the tip with the same patch-id is there.
        let upstream = Set(
            try PatchIDLookup.patchIDs(
                of: repository.commits(in: RevisionRange(terms: [.include(onto.hex), .exclude(tip.hex)])),
                in: repository, index: index
            ).values)
        let own = try upstream.isEmpty ? [:] : PatchIDLookup.patchIDs(of: commits, in: repository, index: index)
        for id in commits.reversed() {
            let commit = try repository.commit(id)
            if commit.isMerge { continue }
            if let patchID = own[id], upstream.contains(patchID) {
                result.dropped.append(id)
                continue
            }
            let parentTree = try commit.parents.first.map { try repository.treeOfCommit($0) }
            let runningTree = try repository.treeOfCommit(result.tip)
            let index = try repository.mergeTrees(ancestor: parentTree, ours: runningTree, theirs: commit.tree)
            if index.hasConflicts {
                result.conflict = (id, commit.parents.first, index)
                return result
            }
            let tree = try index.writeTree()
            // Become empty (its change is there already), as git rebase drops it; a commit that
            // was empty to begin with is kept, as git keeps it.
            if tree == runningTree, commit.tree != parentTree {
                result.dropped.append(id)
                continue
            }
            var signature = commit.committer
            if let committer {
                signature = committer
                signature.time = Int64(Date().timeIntervalSince1970)
            }
            result.tip = try repository.createCommit(
                tree: tree, parents: [result.tip], author: commit.author, committer: signature,
                message: commit.message)
            result.replayed.append(result.tip)
        }
        return result
    }
}
