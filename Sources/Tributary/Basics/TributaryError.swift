/// What went wrong, in the terms that decide what the user does next. The library throws these
/// and the `Git` layer's `GitError`; the command-line tool turns both into exit statuses in one
/// place, by their case and code, never by the wording of a message.
///
/// Messages name what is at fault: the file and line of a manifest or policy, the revision, the
/// branch, the path.
public enum TributaryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is wrong: a file (with the line at fault), a revision, a name, a value, a file
    /// that cannot be read. Nothing was changed. Exit status 2.
    case badInput(String)
    /// The repository is not in a state that allows the operation: a work tree with changes, no
    /// identity for new commits, an integration branch that does not exist, a branch with merges
    /// where a linear one is needed. Nothing was changed. Exit status 2.
    case refused(String)
    /// Another writer is in the way: another trib command holds the lock, a branch moved while
    /// this command worked, a `.lock` file left where git writes. Nothing was changed; running the
    /// command again once the other is done may succeed. Exit status 3.
    case concurrentWriter(String)
    /// The repository or the machine failed: a file that cannot be written, a program that
    /// cannot be run. Exit status 3.
    case environment(String)

    /// The message, without the case.
    public var message: String {
        switch self {
        case .badInput(let message), .refused(let message), .concurrentWriter(let message),
            .environment(let message):
            message
        }
    }

    public var description: String { message }
}
