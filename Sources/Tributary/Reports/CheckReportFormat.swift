import Foundation

/// The output formats of `trib check`.
public enum CheckReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github
}

/// Renders a `TagCheck.Report` for people and for CI systems.
public struct CheckReportRenderer {
    public var report: TagCheck.Report

    public init(report: TagCheck.Report) { self.report = report }

    /// The version of the JSON layout (`Docs/check-json.md`).
    public static let jsonSchema = "tributary.check/1"

    public func render(_ format: CheckReportFormat) throws -> String {
        switch format {
        case .text: text()
        case .json: try json()
        case .junit: junit()
        case .sarif: try sarif()
        case .github: github()
        }
    }

    /// Human text: each commit with findings, then a summary line. A long range's commits are
    /// written in chunks on every core.
    public func text() -> String {
        var out = ""
        for warning in report.maintainersWarnings { out += "warning: \(warning)\n" }
        for note in report.notes { out += "note: \(note)\n" }
        let commits = report.commits
        let chunk = max(500, commits.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
        let chunks = stride(from: 0, to: commits.count, by: chunk).map { $0..<min($0 + chunk, commits.count) }
        let parts = Parallel.map(chunks) { range -> (text: String, clean: Int) in
            Self.text(of: commits[range])
        }
        var clean = 0
        for part in parts {
            out += part.text
            clean += part.clean
        }
        out +=
            "\(commits.count) commits checked: \(report.errorCount) errors, \(report.warningCount) warnings, \(clean) commits clean\n"
        return out
    }

    /// The lines of `commits` that have findings, and how many have none.
    private static func text(of commits: ArraySlice<TagCheck.CommitResult>) -> (text: String, clean: Int) {
        var out = ""
        out.reserveCapacity(commits.count * 256)
        let indent = String(repeating: " ", count: 29)
        var clean = 0
        for commit in commits {
            if commit.findings.isEmpty {
                clean += 1
                continue
            }
            out += commit.commit.abbreviated() + " " + commit.subject + "\n"
            for finding in commit.findings {
                out +=
                    "  " + severityColumn[finding.severity]! + " " + ruleColumn[finding.rule]! + " "
                    + finding.message + "\n"
                if !finding.people.isEmpty {
                    out += indent + "could ack: " + finding.people.joined(separator: ", ") + "\n"
                }
                if let trailer = finding.trailer, finding.rule != .ownerAck { out += indent + trailer + "\n" }
            }
            if !commit.botTrailers.isEmpty {
                out +=
                    "  note    bot                not counted: "
                    + commit.botTrailers.map(\.description).joined(separator: "; ") + "\n"
            }
        }
        return (out, clean)
    }

    /// The severity and rule columns, padded once.
    private static let severityColumn = Dictionary(
        uniqueKeysWithValues: Severity.allCases.map { ($0, $0.rawValue.padded(7)) })
    private static let ruleColumn = Dictionary(
        uniqueKeysWithValues: TagRule.allCases.map { ($0, $0.rawValue.padded(18)) })

    /// The whole report as JSON (`Docs/check-json.md`). `inOnePiece` encodes it all with
    /// `JSONEncoder` on one thread: the same bytes, more slowly (what the faster path is checked
    /// against).
    public func json(inOnePiece: Bool = false) throws -> String {
        if inOnePiece {
            return String(decoding: try Self.encoder.encode(document(commits: report.commits)), as: UTF8.self) + "\n"
        }
        var bytes: [UInt8] = []
        let pieces = try jsonPieces()
        bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { bytes += piece }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON of `json()` as the consecutive pieces of its UTF-8 bytes, to be written one after
    /// the other (a long range's document is tens of megabytes: no piece is copied into another).
    public func jsonPieces() throws -> [[UInt8]] {
        // The document without its commits, then the commits written on every core by
        // `PrettyJSONWriter` and put in its empty list, indented as the encoder would have: the
        // same bytes as one encoding of the whole, in a fraction of the time on a long range.
        let text = Array(try Self.encoder.encode(document(commits: []))) + [0x0A]
        let placeholder = Array("\"commits\" : [\n\n  ]".utf8)
        guard !report.commits.isEmpty, let at = text.firstRange(of: placeholder) else { return [text] }
        let chunk = max(64, report.commits.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
        let chunks = stride(from: 0, to: report.commits.count, by: chunk).map {
            Array(report.commits[$0..<min($0 + chunk, report.commits.count)])
        }
        let encoded = Parallel.map(chunks) { commits -> [UInt8] in
            var writer = PrettyJSONWriter(level: 2)
            writer.reserve(commits.count * 2048)
            for (number, commit) in commits.enumerated() {
                writer.raw(number == 0 ? "    " : ",\n    ")
                Self.write(commit, into: &writer)
            }
            return writer.bytes
        }
        var pieces = [Array(text[..<at.lowerBound]) + Array("\"commits\" : [\n".utf8)]
        for (index, part) in encoded.enumerated() {
            if index > 0 { pieces.append(Array(",\n".utf8)) }
            pieces.append(part)
        }
        pieces.append(Array("\n  ]".utf8) + Array(text[at.upperBound...]))
        return pieces
    }

    /// The document of `json()` with `commits` in it.
    private func document(commits: [TagCheck.CommitResult]) -> some Encodable {
        struct Document: Encodable {
            var schema: String
            var range: String
            var summary: Summary
            var commits: [TagCheck.CommitResult]
            var maintainersWarnings: [MaintainersWarning]
            var notes: [String]
        }
        struct Summary: Encodable {
            var commits: Int
            var errors: Int
            var warnings: Int
        }
        return Document(
            schema: Self.jsonSchema, range: report.range,
            summary: Summary(commits: report.commits.count, errors: report.errorCount, warnings: report.warningCount),
            commits: commits, maintainersWarnings: report.maintainersWarnings, notes: report.notes)
    }

    /// One commit's result as `JSONEncoder` writes its `Codable` form (keys sorted; nil
    /// optionals left out), written directly: on 10,000 commits the encoder costs more than
    /// checking them.
    static func write(_ commit: TagCheck.CommitResult, into json: inout PrettyJSONWriter) {
        json.object { json in
            json.key("approvals")
            json.array(commit.approvals) { json, approval in
                json.object { json in
                    json.key("approvedBy", ifPresent: approval.approvedBy)
                    json.key("detail", ifPresent: approval.detail)
                    json.key("files")
                    json.strings(approval.files)
                    json.key("reason")
                    json.string(approval.reason.rawValue)
                    json.key("section")
                    json.string(approval.section)
                }
            }
            json.key("author")
            write(commit.author, into: &json)
            json.key("botTrailers")
            json.array(commit.botTrailers) { write($1, into: &$0) }
            json.key("commit")
            json.string(commit.commit.hex)
            json.key("committer")
            write(commit.committer, into: &json)
            json.key("files")
            json.strings(commit.files)
            json.key("findings")
            json.array(commit.findings) { json, finding in
                json.object { json in
                    json.key("files")
                    json.strings(finding.files)
                    json.key("message")
                    json.string(finding.message)
                    json.key("people")
                    json.strings(finding.people)
                    json.key("rule")
                    json.string(finding.rule.rawValue)
                    json.key("sections")
                    json.strings(finding.sections)
                    json.key("severity")
                    json.string(finding.severity.rawValue)
                    json.key("trailer", ifPresent: finding.trailer)
                }
            }
            json.key("subject")
            json.string(commit.subject)
            json.key("trailers")
            json.array(commit.trailers) { write($1, into: &$0) }
        }
    }

    private static func write(_ identity: Identity, into json: inout PrettyJSONWriter) {
        json.object { json in
            json.key("email")
            json.string(identity.email)
            json.key("name")
            json.string(identity.name)
        }
    }

    private static func write(_ trailer: Trailer, into json: inout PrettyJSONWriter) {
        json.object { json in
            json.key("key")
            json.string(trailer.key)
            json.key("line", ifPresent: trailer.line)
            json.key("value")
            json.string(trailer.value)
        }
    }

    /// The encoder of the JSON output: indented, keys sorted, slashes as they are.
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// JUnit XML: a test suite per range, a test case per commit, a failure per error finding
    /// (warnings go to the case's system-out).
    public func junit() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = report.commits.filter { $0.findings.contains { $0.severity == .error } }.count
        xml += "<testsuites name=\"trib check\" tests=\"\(report.commits.count)\" failures=\"\(failures)\">\n"
        xml +=
            "  <testsuite name=\"\(escapeXML(report.range))\" tests=\"\(report.commits.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for commit in report.commits {
            let name = "\(commit.commit.abbreviated()) \(commit.subject)"
            xml += "    <testcase classname=\"trib.check\" name=\"\(escapeXML(name))\">\n"
            for finding in commit.findings where finding.severity == .error {
                xml += "      <failure type=\"\(finding.rule.rawValue)\" message=\"\(escapeXML(finding.message))\">"
                xml += escapeXML(describe(finding, in: commit)) + "</failure>\n"
            }
            let warnings = commit.findings.filter { $0.severity == .warning }
            if !warnings.isEmpty {
                xml +=
                    "      <system-out>"
                    + escapeXML(warnings.map { "warning \($0.rule.rawValue): \($0.message)" }.joined(separator: "\n"))
                xml += "</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// SARIF 2.1.0: one run of the `trib` tool, a rule per tag rule, a result per finding,
    /// located at the commit's files (or, when it touches none, at the commit).
    public func sarif() throws -> String {
        var rules: [[String: Any]] = []
        for rule in TagRule.allCases {
            rules.append([
                "id": rule.rawValue, "name": rule.rawValue,
                "shortDescription": ["text": rule.summary],
                "defaultConfiguration": [
                    "level": rule.defaultSeverity == .off ? "none" : rule.defaultSeverity.rawValue
                ],
                "help": ["text": "See Docs/policy.md, rule \(rule.rawValue)."],
            ])
        }
        var results: [[String: Any]] = []
        for commit in report.commits {
            for finding in commit.findings {
                let files = finding.files.isEmpty ? Array(commit.files.prefix(1)) : finding.files
                var result: [String: Any] = [
                    "ruleId": finding.rule.rawValue,
                    "ruleIndex": TagRule.allCases.firstIndex(of: finding.rule)!,
                    "level": finding.severity == .error ? "error" : "warning",
                    "message": ["text": "\(commit.commit.abbreviated()) \(commit.subject): \(finding.message)"],
                    "partialFingerprints": ["tributaryCommitRule/v1": "\(commit.commit.hex):\(finding.rule.rawValue)"],
                    "properties": [
                        "commit": commit.commit.hex, "people": finding.people, "sections": finding.sections,
                    ],
                ]
                if !files.isEmpty {
                    result["locations"] = files.map { file in
                        ["physicalLocation": ["artifactLocation": ["uri": file, "uriBaseId": "SRCROOT"]]]
                    }
                }
                results.append(result)
            }
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": ["driver": ["name": "trib", "version": Tributary.version, "rules": rules]],
                    "results": results,
                    "properties": ["range": report.range],
                ] as [String: Any]
            ],
        ]
        let data = try JSONSerialization.data(
            withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// GitHub Actions workflow commands: `::error title=…::message` per finding, with the file
    /// when there is one.
    public func github() -> String {
        var lines: [String] = []
        for commit in report.commits {
            for finding in commit.findings {
                let command = finding.severity == .error ? "error" : "warning"
                var properties = [
                    "title=\(escapeProperty("\(finding.rule.rawValue) in \(commit.commit.abbreviated())"))"
                ]
                if let file = finding.files.first { properties.insert("file=\(escapeProperty(file))", at: 0) }
                lines.append(
                    "::\(command) \(properties.joined(separator: ","))::\(escapeData(describe(finding, in: commit)))")
            }
        }
        lines.append(
            "\(report.commits.count) commits checked: \(report.errorCount) errors, \(report.warningCount) warnings")
        return lines.joined(separator: "\n") + "\n"
    }

    private func describe(_ finding: TagFinding, in commit: TagCheck.CommitResult) -> String {
        var text = "\(commit.commit.abbreviated()) \(commit.subject): \(finding.message)"
        if !finding.people.isEmpty { text += "\ncould ack: " + finding.people.joined(separator: ", ") }
        return text
    }

    private func escapeXML(_ text: String) -> String { MarkupText.escape(text, replacingControlsWith: "?") }

    private func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Workflow-command properties: also `:` and `,`.
    private func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
