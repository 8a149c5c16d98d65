import Foundation
import Git
import Testing

/// Validates JSON output against the schemas in Docs/schemas with Python's jsonschema.
enum SchemaValidation {
    static func validate(_ json: String, schema name: String) throws {
        let schema = SharedPaths.projectRoot.appendingPathComponent("Docs/schemas/\(name).schema.json").path
        let validation = try Subprocess.run(
            "/usr/bin/python3",
            [
                "-c",
                "import json, sys, jsonschema; jsonschema.validate(json.load(sys.stdin), json.load(open(sys.argv[1]))); print('valid')",
                schema,
            ],
            input: Data(json.utf8))
        #expect(validation.text == "valid\n", "\(name): \(validation.errorOutput)")
    }
}
