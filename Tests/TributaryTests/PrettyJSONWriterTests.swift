import Foundation
import Testing

@testable import Tributary

/// `PrettyJSONWriter` writes what `JSONEncoder` (pretty-printed, sorted keys, slashes unescaped)
/// writes for the same values.
@Suite struct PrettyJSONWriterTests {
    private struct Sample: Encodable {
        var list: [String]
        var name: String
        var nested: [Inner]
        var number: Int
        var optional: String?
    }

    private struct Inner: Encodable {
        var empty: [String]
        var text: String
    }

    private func encoded(_ sample: Sample) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(sample), as: UTF8.self)
    }

    private func written(_ sample: Sample) -> String {
        var writer = PrettyJSONWriter()
        writer.object { json in
            json.key("list")
            json.strings(sample.list)
            json.key("name")
            json.string(sample.name)
            json.key("nested")
            json.array(sample.nested) { json, inner in
                json.object { json in
                    json.key("empty")
                    json.strings(inner.empty)
                    json.key("text")
                    json.string(inner.text)
                }
            }
            json.key("number")
            json.integer(sample.number)
            json.key("optional", ifPresent: sample.optional)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("every ASCII character, non-ASCII text, empty and nested lists, a nil and a present optional")
    func sameBytesAsTheEncoder() throws {
        let ascii = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let samples = [
            Sample(
                list: [ascii, "é ü 漢字 \u{2028}\u{2029} 🙂", "a/b\\c\"d"], name: "x", nested: [],
                number: -42, optional: nil),
            Sample(
                list: [], name: "", nested: [Inner(empty: [], text: "\t\r\n"), Inner(empty: ["/"], text: "")],
                number: 0, optional: "present \u{7f}"),
        ]
        for sample in samples {
            #expect(written(sample) == (try encoded(sample)))
        }
    }
}
