import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real headless Chromium (Debian's `chromium-headless-shell`, or `chromium`), driven over the
/// DevTools protocol on a pipe (`--remote-debugging-pipe`: the browser reads commands on fd 3
/// and writes replies and events on fd 4, each a JSON text ended by a NUL byte). No network port
/// is opened. Used to load the report's pages as a reader would, collect what the browser
/// reports as errors, query the page and take screenshots.
final class HeadlessBrowser {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What loading one page produced.
    struct PageLoad {
        /// Console errors, uncaught exceptions, failed loads and dialogs (an `alert` would be one).
        var errors: [String]
    }

    private let pid: pid_t
    private let commands: Int32
    private let replies: Int32
    private let profile: String
    private var nextID = 1
    private var buffer: [UInt8] = []
    private var events: [[String: Any]] = []
    private var session = ""

    /// The browser to use: `$TRIB_CHROMIUM`, else the first of Debian's packages found.
    static func executable() -> String? {
        if let path = ProcessInfo.processInfo.environment["TRIB_CHROMIUM"], !path.isEmpty { return path }
        return ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    init(executable: String) throws {
        profile =
            FileManager.default.temporaryDirectory.appendingPathComponent("trib-chromium-\(UUID().uuidString)")
            .path
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard cspawn_pipe_cloexec(&toBrowser) == 0, cspawn_pipe_cloexec(&fromBrowser) == 0 else {
            throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        cspawn_file_actions_addclosefrom(&actions, 5)
        let arguments = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--window-size=1280,900", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // In a process group of its own, so that its helper processes go with it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard status == 0 else {
            close(toBrowser[1])
            close(fromBrowser[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        commands = toBrowser[1]
        replies = fromBrowser[0]
        let target = try call("Target.createTarget", ["url": "about:blank"], inSession: false)
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target: \(target)") }
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], inSession: false)
        guard let sessionID = attached["sessionId"] as? String else {
            throw Failure(description: "cannot attach: \(attached)")
        }
        session = sessionID
        for domain in ["Page", "Runtime", "Log"] { _ = try call("\(domain).enable", [:]) }
    }

    /// Closes the browser (`Browser.close`, else SIGKILL after 5 seconds), stops its helper
    /// processes and removes its profile.
    deinit {
        _ = try? call("Browser.close", [:], inSession: false)
        var status: Int32 = 0
        var exited = false
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                break
            }
            usleep(50_000)
        }
        kill(-pid, SIGKILL)
        if !exited { waitpid(pid, &status, 0) }
        close(commands)
        close(replies)
        // Helpers killed a moment ago may still be writing into the profile.
        for _ in 0..<20 {
            if (try? FileManager.default.removeItem(atPath: profile)) != nil
                || !FileManager.default.fileExists(atPath: profile)
            {
                break
            }
            usleep(100_000)
        }
    }

    /// Opens `url` and waits for its load event; returns the errors the page produced.
    func load(_ url: URL) throws -> PageLoad {
        events.removeAll()
        _ = try call("Page.navigate", ["url": url.absoluteString])
        _ = try waitForEvent("Page.loadEventFired")
        // Anything logged during load is in by now; a short evaluation flushes the queue.
        _ = try evaluate("1")
        var errors: [String] = []
        for event in events {
            let params = event["params"] as? [String: Any] ?? [:]
            switch event["method"] as? String {
            case "Runtime.consoleAPICalled":
                if ["error", "assert"].contains(params["type"] as? String) { errors.append("console: \(params)") }
            case "Runtime.exceptionThrown": errors.append("exception: \(params)")
            case "Log.entryAdded":
                if let entry = params["entry"] as? [String: Any], entry["level"] as? String == "error" {
                    errors.append("log: \(entry["text"] ?? "") \(entry["url"] ?? "")")
                }
            case "Page.javascriptDialogOpening": errors.append("dialog: \(params["message"] ?? "")")
            default: break
            }
        }
        return PageLoad(errors: errors)
    }

    /// The value of a JavaScript expression in the page.
    func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = result["exceptionDetails"] { throw Failure(description: "\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the whole page.
    func screenshot() throws -> Data {
        let result = try call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let text = result["data"] as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    // MARK: The protocol

    private func call(_ method: String, _ parameters: [String: Any], inSession: Bool = true) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if inSession { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "the browser went away while sending \(method)")
            }
            offset += written
        }
        while true {
            let reply = try nextMessage(waitingFor: method)
            if reply["id"] as? Int == id {
                if let error = reply["error"] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            if reply["method"] != nil { events.append(reply) }
        }
    }

    private func waitForEvent(_ method: String) throws -> [String: Any] {
        if let index = events.firstIndex(where: { $0["method"] as? String == method }) { return events[index] }
        while true {
            let message = try nextMessage(waitingFor: method)
            if message["method"] != nil { events.append(message) }
            if message["method"] as? String == method { return message }
            // A dialog (`alert`) holds the page until it is answered: noted as an error, dismissed.
            if message["method"] as? String == "Page.javascriptDialogOpening" {
                _ = try call("Page.handleJavaScriptDialog", ["accept": true])
            }
        }
    }

    /// The next NUL-terminated message; gives up after 30 seconds of silence.
    private func nextMessage(waitingFor what: String) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let text = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any] else {
                    continue
                }
                return object
            }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 30_000)
            if ready == 0 { throw Failure(description: "the browser did not answer (waiting for \(what))") }
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "poll: \(String(cString: strerror(errno)))")
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { throw Failure(description: "the browser closed the pipe (waiting for \(what))") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
