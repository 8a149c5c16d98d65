/// Named moments of a command that moves a branch (`BranchMoveSession.execute`), where the crash
/// tests stop it as git's own test suite does with `GIT_TEST_*` variables: `trib` kills itself
/// with SIGKILL at the one `TRIB_TEST_CRASH_AT` names, leaving what a power cut or `kill -9`
/// would.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// The journal of the move is written; the branch has not moved.
    case journalWritten = "journal-written"
    /// The branch has moved; its work tree, references and log have not followed.
    case branchMoved = "branch-moved"
    /// A checked-out branch's work tree has followed it.
    case workTreeUpdated = "work-tree-updated"
    /// The references written after the branch (`refs/tributary/pulled/NAME`) are written.
    case referencesWritten = "pulled-references-written"
}
