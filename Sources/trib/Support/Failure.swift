import ArgumentParser
import Foundation
import Git
import Tributary

/// Exit statuses shared by every command.
enum ExitStatus {
    /// Findings: conflicts, missing tags.
    static let findings = ExitCode(1)
    /// Bad input or usage.
    static let badInput = ExitCode(2)
    /// Repository or environment error.
    static let environment = ExitCode(3)
}

/// Bad input that the library does not report itself: a missing file, an empty range.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Errors that mean the input was wrong (exit status 2), not the repository or the machine.
protocol BadInput: Error, CustomStringConvertible {}

extension InputError: BadInput {}
extension Manifest.Error: BadInput {}
extension Planner.Error: BadInput {}
extension TrialMerge.Error: BadInput {}
extension TagPolicy.Error: BadInput {}
extension Puller.Refused: BadInput {}
extension ResolutionRecorder.Failure: BadInput {}
extension MailArchive.Failure: BadInput {}
extension LedgerPlaces.Failure: BadInput {}
extension PullRequest.Failure: BadInput {}
extension Syncer.Refused: BadInput {}
extension ReportHistory.Failure: BadInput {}

/// Prints `trib: message` on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("trib: \(message)\n".utf8))
}

/// Runs `body`, turning errors into a message and the documented exit status: unknown revisions
/// and malformed specifications are bad input (2); other repository errors are 3.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GitError {
        printError(error.description)
        if error.code == .locked || error.message.contains("failed to lock file") {
            FileHandle.standardError.write(
                Data(
                    "trib: another git or trib command may be writing there; if none runs, remove the .lock file it names\n"
                        .utf8))
        }
        switch error.code {
        case .invalidSpec, .ambiguous, .peel: throw ExitStatus.badInput
        case .notFound where error.category == "revparse": throw ExitStatus.badInput
        default: throw ExitStatus.environment
        }
    } catch let error as any BadInput {
        printError(error.description)
        throw ExitStatus.badInput
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("\(error)")
        throw ExitStatus.environment
    }
}
