import ArgumentParser
import Foundation
import Git
import Tributary

/// Exit statuses shared by every command, and the one place that decides which an error gets.
enum ExitStatus {
    /// Findings: conflicts, missing tags.
    static let findings = ExitCode(1)
    /// Bad input or usage.
    static let badInput = ExitCode(2)
    /// Repository or environment error.
    static let environment = ExitCode(3)

    /// The exit status of `error`, by its type, case and code — never by its message:
    ///
    /// - `TributaryError.badInput`, `.refused`: 2; `.concurrentWriter`, `.environment`: 3.
    /// - `GitError`: 2 for a revision that does not resolve (`revision` set) or a malformed or
    ///   ambiguous specification (`invalidSpec`, `ambiguous`, `peel`); 3 for anything else
    ///   (`locked` included: another writer).
    /// - `Subprocess.LaunchError` (a program that cannot run) and anything else: 3.
    /// - `Interrupts.Interrupted` does not get here: `reportingFailures` ends the program with
    ///   128 + the signal (130 for SIGINT, 143 for SIGTERM).
    static func of(_ error: any Error) -> ExitCode {
        switch error {
        case let error as TributaryError:
            switch error {
            case .badInput, .refused: badInput
            case .concurrentWriter, .environment: environment
            }
        case let error as GitError:
            if error.revision != nil {
                badInput
            } else {
                switch error.code {
                case .invalidSpec, .ambiguous, .peel: badInput
                default: environment
                }
            }
        default: environment
        }
    }

    /// What to tell the user besides the error's own message.
    static func hint(for error: any Error) -> String? {
        guard let error = error as? GitError, error.code == .locked else { return nil }
        return "another git or trib command may be writing there; if none runs, remove the .lock file it names"
    }
}

/// Prints `trib: message` on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("trib: \(message)\n".utf8))
}

/// Runs `body`; an error is printed (with its hint) and becomes its exit status (`ExitStatus.of`).
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch let error as Interrupts.Interrupted {
        Interrupts.exit(after: error)
    } catch {
        printError("\(error)")
        if let hint = ExitStatus.hint(for: error) { printError(hint) }
        throw ExitStatus.of(error)
    }
}
