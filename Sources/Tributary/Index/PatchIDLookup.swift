public import Git

/// Patch-ids of commits the way every part of the library should get them: from the index when it
/// has them, else computed (`Repository.patchID`) and stored there, so that no commit's diff is
/// made twice across plans, rebases and pull requests.
public enum PatchIDLookup {
    /// The patch-id of each of `commits` that has one (merges and commits that change nothing
    /// have none and are left out).
    public static func patchIDs(of commits: [ObjectID], in repository: Repository, index: IndexDatabase?) throws
        -> [ObjectID: ObjectID]
    {
        let stored = try index?.patchIDs(of: commits) ?? [:]
        var found: [ObjectID: ObjectID] = [:]
        var computed: [ObjectID: ObjectID?] = [:]
        for commit in commits {
            if let known = stored[commit] {
                if let known { found[commit] = known }
                continue
            }
            let value = try repository.commit(commit)
            let id = value.isMerge ? nil : try repository.patchID(of: value)
            computed[commit] = .some(id)
            if let id { found[commit] = id }
        }
        try index?.storePatchIDs(computed)
        return found
    }
}
