import Git
import Tributary

/// The rules with every switch on, so that fuzzing reaches all of them.
private let checker: CommitTagChecker = {
    var policy = TagPolicy()
    for rule in TagRule.allCases { policy.severities[rule] = .error }
    policy.bots = [Identity(name: "Bot", email: "bot@example.org")]
    return CommitTagChecker(policy: policy)
}()

private let maintainers = MaintainersFile(contents: "SLAB\nM:\tSlab <slab@example.org>\nS:\tMaintained\nF:\tmm/\n")

/// libFuzzer entry point: parses the input as a commit message (trailers, identities, patch
/// paths) and runs every tag rule on it. Any crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrailers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let message = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let trailers = TrailerParser.trailers(in: message)
    let paths = PatchPaths(patch: message).paths
    let index = OwnershipIndex(maintainers)
    var sections: [String: [SectionMatch]] = [:]
    for path in paths + ["mm/slub.c"] { sections[path] = index.sections(for: path) }
    let facts = CommitTagFacts(
        id: .zero, subject: "subject", author: Identity(name: "A", email: "a@example.org"),
        committer: Identity(name: "C", email: "c@example.org"), trailers: trailers, files: paths + ["mm/slub.c"],
        sections: sections)
    _ = checker.findings(for: facts) { hash in
        hash.count % 2 == 0 ? .notFound : .found(id: .zero, subject: hash, isAncestor: hash.count % 3 == 0)
    }
    return 0
}
