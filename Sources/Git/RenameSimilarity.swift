import CLibgit2

/// git's rename similarity (`diffcore-rename.c`'s `estimate_similarity` over
/// `diffcore-delta.c`'s span hashes), plugged into libgit2's rename detection as a
/// `git_diff_similarity_metric`.
///
/// libgit2's own metric gives other percentages than git on edited renames, and the percentage
/// is part of the patch text (`similarity index 87%`) and therefore of the patch-id. With this
/// metric the `similarity index` lines, and which pairs reach the rename threshold, are git's.
///
/// A file is cut into chunks that end at a newline or after 64 bytes; each chunk is hashed, and
/// the bytes of each hash are counted. The bytes of the new file whose chunks also occur in the
/// old one are "copied"; the score is copied bytes over the larger size, as a whole percentage
/// rounded down. Only regular files are compared (symlinks are renamed only when identical).
struct SpanSignature {
    /// (hash, bytes) pairs sorted by hash; each hash appears once.
    var spans: [(hash: UInt32, count: UInt32)]
    var size: Int
    var isRegularFile: Bool

    static let hashBase: UInt32 = 107_927

    init(bytes: UnsafeRawBufferPointer, isRegularFile: Bool) {
        size = bytes.count
        self.isRegularFile = isRegularFile
        // git treats a buffer with a NUL in its first 8000 bytes as binary.
        let isText = !bytes.prefix(8000).contains(0)
        var counts: [UInt32: UInt32] = [:]
        var accum1: UInt32 = 0
        var accum2: UInt32 = 0
        var length: UInt32 = 0
        var index = 0
        while index < bytes.count {
            let c = UInt32(bytes[index])
            index += 1
            // Ignore the CR of a CRLF pair in text.
            if isText && c == 0x0D && index < bytes.count && bytes[index] == 0x0A { continue }
            let old1 = accum1
            accum1 = (accum1 << 7) ^ (accum2 >> 25)
            accum2 = (accum2 << 7) ^ (old1 >> 25)
            accum1 &+= c
            length += 1
            if length < 64 && c != 0x0A { continue }
            let hash = (accum1 &+ accum2 &* 0x61) % Self.hashBase
            counts[hash, default: 0] += length
            length = 0
            accum1 = 0
            accum2 = 0
        }
        spans = counts.map { ($0.key, $0.value) }.sorted { $0.hash < $1.hash }
    }

    /// git's similarity of `source` renamed to `destination`, in whole percent (0–100).
    static func similarity(from source: SpanSignature, to destination: SpanSignature) -> Int {
        guard source.isRegularFile, destination.isRegularFile, destination.size > 0 else { return 0 }
        let maxSize = max(source.size, destination.size)
        var copied: UInt64 = 0
        var s = 0
        var d = 0
        while s < source.spans.count && d < destination.spans.count {
            let sourceSpan = source.spans[s]
            let destinationSpan = destination.spans[d]
            if destinationSpan.hash < sourceSpan.hash {
                d += 1
            } else if destinationSpan.hash > sourceSpan.hash {
                s += 1
            } else {
                copied += UInt64(min(sourceSpan.count, destinationSpan.count))
                s += 1
                d += 1
            }
        }
        let maxScore: UInt64 = 60_000
        let score = copied * maxScore / UInt64(maxSize)
        return Int(score * 100 / maxScore)
    }
}

/// A signature kept alive for libgit2 between `buffer_signature` and `free_signature`.
private final class SignatureBox {
    let signature: SpanSignature
    init(_ signature: SpanSignature) { self.signature = signature }
}

private func isRegular(_ file: UnsafePointer<git_diff_file>?) -> Bool {
    guard let mode = file?.pointee.mode else { return false }
    return UInt32(mode) & 0o170000 == 0o100000
}

private func spanFileSignature(
    _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ file: UnsafePointer<git_diff_file>?,
    _ path: UnsafePointer<CChar>?,
    _ payload: UnsafeMutableRawPointer?
) -> Int32 {
    // Tree-to-tree diffs hand libgit2 buffers, not work-tree files; without a signature the
    // pair scores 0.
    out?.pointee = nil
    return 0
}

private func spanBufferSignature(
    _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ file: UnsafePointer<git_diff_file>?,
    _ buffer: UnsafePointer<CChar>?,
    _ length: Int,
    _ payload: UnsafeMutableRawPointer?
) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: buffer, count: buffer == nil ? 0 : length)
    let box = SignatureBox(SpanSignature(bytes: bytes, isRegularFile: isRegular(file)))
    out?.pointee = Unmanaged.passRetained(box).toOpaque()
    return 0
}

private func spanFreeSignature(_ signature: UnsafeMutableRawPointer?, _ payload: UnsafeMutableRawPointer?) {
    guard let signature else { return }
    Unmanaged<SignatureBox>.fromOpaque(signature).release()
}

private func spanSimilarity(
    _ score: UnsafeMutablePointer<Int32>?,
    _ source: UnsafeMutableRawPointer?,
    _ destination: UnsafeMutableRawPointer?,
    _ payload: UnsafeMutableRawPointer?
) -> Int32 {
    guard let source, let destination else {
        score?.pointee = 0
        return 0
    }
    let from = Unmanaged<SignatureBox>.fromOpaque(source).takeUnretainedValue().signature
    let to = Unmanaged<SignatureBox>.fromOpaque(destination).takeUnretainedValue().signature
    score?.pointee = Int32(SpanSignature.similarity(from: from, to: to))
    return 0
}

/// git's similarity metric for `git_diff_find_options.metric`.
func gitSimilarityMetric() -> git_diff_similarity_metric {
    git_diff_similarity_metric(
        file_signature: spanFileSignature,
        buffer_signature: spanBufferSignature,
        free_signature: spanFreeSignature,
        similarity: spanSimilarity,
        payload: nil
    )
}
