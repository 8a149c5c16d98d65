import Tributary

/// libFuzzer entry point: reads the input as an mbox, parses every message (headers, encoded
/// words, transfer encodings, MIME parts), threads them and groups series with their reply
/// trailers. Any crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMail(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for format in [Mbox.Format.mboxrd, .mboxo] {
        let messages = Mbox.messages(in: bytes, format: format).map { MailMessage($0.bytes) }
        for message in messages {
            _ = PatchSubject(message.subject)
            _ = (message.messageID, message.inReplyTo, message.references, message.from, message.date)
        }
        let threads = MailThreads(messages)
        for index in messages.indices { _ = threads.root(of: index) }
        _ = PatchSeries.find(in: messages)
    }
    return 0
}
