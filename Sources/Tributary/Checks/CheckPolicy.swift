import Foundation
import Git

extension TagPolicy {
    /// The policy `trib check` applies to a range: the manifest's — `Manifest.policy(for:)` of
    /// `tree` when one is named (its owned sections, URL and overrides: exactly what `trib plan`
    /// applies to that tree's new commits), else the manifest's shared policy — then the entries
    /// of `policyFile` on top (what it sets wins), then the sections in `owns`.
    ///
    /// `manifest`: the manifest's path, and whether it was named by the user (then it must
    /// exist; at the default path an absent manifest is no manifest). The manifest may lack an
    /// `[integration]` section (`Manifest.loadPolicies`).
    /// `preset`, when given, replaces the preset and rules the manifest and policy file set (what
    /// says which tree is checked is kept).
    public static func forCheck(
        manifest: (path: String, named: Bool)?, tree: String?, policyFile: String?, owns: [String],
        preset: TagPreset? = nil
    ) throws -> TagPolicy {
        var policy = TagPolicy()
        if let manifest, manifest.named || FileManager.default.fileExists(atPath: manifest.path) {
            guard FileManager.default.fileExists(atPath: manifest.path) else {
                throw TributaryError.badInput("cannot read the manifest \(manifest.path)")
            }
            let loaded = try Manifest.loadPolicies(from: manifest.path)
            if let tree {
                guard let found = loaded.trees.first(where: { $0.name == tree }) else {
                    throw TributaryError.badInput("\(manifest.path) has no [tree \"\(tree)\"]")
                }
                policy = try loaded.policy(for: found)
            } else {
                policy = loaded.policy
            }
        } else if let tree {
            throw TributaryError.badInput(
                "--tree \(tree) needs a manifest (--manifest, or .tributary in the work tree)")
        }
        if let policyFile {
            guard FileManager.default.isReadableFile(atPath: policyFile) else {
                throw TributaryError.badInput("cannot read the policy file \(policyFile)")
            }
            do {
                try policy.apply(ConfigFile(path: policyFile))
            } catch let error as GitError {
                throw TributaryError.badInput("\(policyFile): \(error.message)")
            }
        }
        if let preset { try policy.applyPreset(preset.rawValue, source: "--preset ") }
        policy.ownedSections.formUnion(owns)
        return policy
    }
}
