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
        switch error.code {
        case .invalidSpec, .ambiguous, .peel: throw ExitStatus.badInput
        case .notFound where error.category == "revparse": throw ExitStatus.badInput
        default: throw ExitStatus.environment
        }
    } catch let error as InputError {
        printError(error.description)
        throw ExitStatus.badInput
    } catch let error as Manifest.Error {
        printError(error.description)
        throw ExitStatus.badInput
    } catch let error as Planner.Error {
        printError(error.description)
        throw ExitStatus.badInput
    } catch let error as TrialMerge.Error {
        printError(error.description)
        throw ExitStatus.badInput
    } catch let error as TagPolicy.Error {
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
