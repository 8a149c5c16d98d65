import CLibgit2

/// One file's line counts in a diff, as `git diff --stat` counts them.
struct DiffStatEntry {
    var change: FileChange
    var added: Int
    var deleted: Int
    var isBinary: Bool
}

extension Diff {
    /// Lines added and deleted per file (`git_patch_from_diff`, `git_patch_line_stats`); for a
    /// binary file, its sizes in bytes, as git's diffstat gives them.
    func statEntries() throws(GitError) -> [DiffStatEntry] {
        let changes = self.changes
        var entries: [DiffStatEntry] = []
        for (index, change) in changes.enumerated() {
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, pointer, index), "git_patch_from_diff")
            defer { git_patch_free(patch) }
            var context = 0
            var additions = 0
            var deletions = 0
            var isBinary = change.isBinary
            if let patch {
                try check(git_patch_line_stats(&context, &additions, &deletions, patch), "git_patch_line_stats")
                if let delta = git_patch_get_delta(patch) {
                    isBinary = delta.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0
                    if isBinary {
                        additions = Int(delta.pointee.new_file.size)
                        deletions = Int(delta.pointee.old_file.size)
                    }
                }
            }
            entries.append(DiffStatEntry(change: change, added: additions, deleted: deletions, isBinary: isBinary))
        }
        return entries
    }

    /// The diffstat and summary exactly as `git diff -M --stat --summary` prints them for a
    /// terminal `width` columns wide (git's `show_stats`, `pprint_rename` and `diff_summary`):
    /// renamed paths as `{old => new}` around their common parts, the name and graph columns
    /// sized and the bars scaled as git does, binary files as `Bin OLD -> NEW bytes`, then the
    /// totals line and the create, delete, rename and mode-change lines.
    public func gitStatText(width: Int = 80) throws(GitError) -> String {
        let entries = try statEntries()
        guard !entries.isEmpty else { return "" }
        let names = entries.map { entry in
            entry.change.status == .renamed || entry.change.status == .copied
                ? Self.prettyRename(entry.change.oldPath, entry.change.newPath) : entry.change.path
        }
        var maxLength = 0
        var maxChange = 0
        var numberWidth = 0
        var binaryWidth = 0
        for (entry, name) in zip(entries, names) {
            maxLength = max(maxLength, name.count)
            if entry.isBinary {
                binaryWidth = max(binaryWidth, 14 + Self.decimalWidth(entry.added) + Self.decimalWidth(entry.deleted))
                numberWidth = 3
                continue
            }
            maxChange = max(maxChange, entry.added + entry.deleted)
        }
        var width = width
        numberWidth = max(Self.decimalWidth(maxChange), numberWidth)
        if width < 16 + 6 + numberWidth { width = 16 + 6 + numberWidth }
        var graphWidth = maxChange + 4 > binaryWidth ? maxChange : binaryWidth - 4
        var nameWidth = maxLength
        if nameWidth + numberWidth + 6 + graphWidth > width {
            if graphWidth > width * 3 / 8 - numberWidth - 6 {
                graphWidth = max(width * 3 / 8 - numberWidth - 6, 6)
            }
            if nameWidth > width - numberWidth - 6 - graphWidth {
                nameWidth = width - numberWidth - 6 - graphWidth
            } else {
                graphWidth = width - numberWidth - 6 - nameWidth
            }
        }
        var out = ""
        var insertions = 0
        var deletions = 0
        for (entry, fullName) in zip(entries, names) {
            var name = Substring(fullName)
            var prefix = ""
            var length = nameWidth
            if nameWidth < name.count {
                prefix = "..."
                length = max(length - 3, 0)
                name = name.suffix(length)
                if let slash = name.firstIndex(of: "/") { name = name[slash...] }
            }
            let padding = String(repeating: " ", count: max(length - name.count, 0))
            if entry.isBinary {
                out += " \(prefix)\(name)\(padding) | \(Self.padLeft("Bin", numberWidth))"
                out += entry.added == 0 && entry.deleted == 0 ? "\n" : " \(entry.deleted) -> \(entry.added) bytes\n"
                continue
            }
            insertions += entry.added
            deletions += entry.deleted
            var add = entry.added
            var del = entry.deleted
            if graphWidth <= maxChange {
                var total = Self.scale(add + del, graphWidth, maxChange)
                if total < 2 && add > 0 && del > 0 { total = 2 }
                if add < del {
                    add = Self.scale(add, graphWidth, maxChange)
                    del = total - add
                } else {
                    del = Self.scale(del, graphWidth, maxChange)
                    add = total - del
                }
            }
            let changed = entry.added + entry.deleted
            out +=
                " \(prefix)\(name)\(padding) | \(Self.padLeft(String(changed), numberWidth))\(changed > 0 ? " " : "")"
            out += String(repeating: "+", count: add) + String(repeating: "-", count: del) + "\n"
        }
        let files = entries.count
        out += files == 1 ? " 1 file changed" : " \(files) files changed"
        if insertions > 0 || deletions == 0 {
            out += insertions == 1 ? ", 1 insertion(+)" : ", \(insertions) insertions(+)"
        }
        if deletions > 0 || insertions == 0 {
            out += deletions == 1 ? ", 1 deletion(-)" : ", \(deletions) deletions(-)"
        }
        out += "\n"
        for entry in entries {
            let change = entry.change
            switch change.status {
            case .deleted: out += " delete mode \(Self.octal(change.oldMode)) \(change.oldPath)\n"
            case .added: out += " create mode \(Self.octal(change.newMode)) \(change.newPath)\n"
            case .renamed, .copied:
                out += " \(change.status == .renamed ? "rename" : "copy") "
                out += "\(Self.prettyRename(change.oldPath, change.newPath)) (\(change.similarity)%)\n"
                if change.oldMode != change.newMode {
                    out += " mode change \(Self.octal(change.oldMode)) => \(Self.octal(change.newMode))\n"
                }
            default:
                if change.oldMode != change.newMode && change.oldMode.rawValue != 0 && change.newMode.rawValue != 0 {
                    out +=
                        " mode change \(Self.octal(change.oldMode)) => \(Self.octal(change.newMode)) \(change.path)\n"
                }
            }
        }
        return out
    }

    /// git's `pprint_rename`: `a/{b => c}/d` around the common leading and trailing directories.
    static func prettyRename(_ old: String, _ new: String) -> String {
        let a = Array(old.utf8)
        let b = Array(new.utf8)
        var prefix = 0
        var index = 0
        while index < a.count && index < b.count && a[index] == b[index] {
            if a[index] == 0x2F { prefix = index + 1 }
            index += 1
        }
        var suffix = 0
        var oldEnd = a.count
        var newEnd = b.count
        let adjust = prefix > 0 ? 1 : 0
        // Compare from the ends; a position equal to the length stands for the terminating NUL.
        while prefix - adjust <= oldEnd && prefix - adjust <= newEnd
            && (oldEnd == a.count ? 0 : a[oldEnd]) == (newEnd == b.count ? 0 : b[newEnd])
        {
            if oldEnd < a.count && a[oldEnd] == 0x2F { suffix = a.count - oldEnd }
            if oldEnd == 0 || newEnd == 0 { break }
            oldEnd -= 1
            newEnd -= 1
        }
        let oldMiddle = max(a.count - prefix - suffix, 0)
        let newMiddle = max(b.count - prefix - suffix, 0)
        var result: [UInt8] = []
        if prefix + suffix > 0 { result += a[0..<prefix] + [0x7B] }
        result += a[prefix..<prefix + oldMiddle] + Array(" => ".utf8) + b[prefix..<prefix + newMiddle]
        if prefix + suffix > 0 { result += [0x7D] + a[(a.count - suffix)...] }
        return String(decoding: result, as: UTF8.self)
    }

    /// git's `scale_linear`: at least one column for any change.
    static func scale(_ value: Int, _ width: Int, _ maxChange: Int) -> Int {
        value == 0 ? 0 : 1 + value * (width - 1) / maxChange
    }

    static func decimalWidth(_ value: Int) -> Int { String(value).count }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func octal(_ mode: FileMode) -> String {
        let digits = String(mode.rawValue, radix: 8)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }
}
