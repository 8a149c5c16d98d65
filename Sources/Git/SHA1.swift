/// SHA-1, for patch-ids. libgit2 1.5 does not expose a plain hash function (its `git_odb_hash`
/// adds an object header), and git's patch-id is SHA-1 over raw bytes.
struct SHA1 {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0
    )
    private var buffer = [UInt8](repeating: 0, count: 64)
    private var buffered = 0
    private var length: UInt64 = 0

    init() {}

    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(bytes.count)
        var index = 0
        if buffered > 0 {
            while buffered < 64 && index < bytes.count {
                buffer[buffered] = bytes[index]
                buffered += 1
                index += 1
            }
            if buffered == 64 {
                buffer.withUnsafeBufferPointer { compress($0, at: 0) }
                buffered = 0
            }
        }
        while bytes.count - index >= 64 {
            compress(bytes, at: index)
            index += 64
        }
        while index < bytes.count {
            buffer[buffered] = bytes[index]
            buffered += 1
            index += 1
        }
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var padding: [UInt8] = [0x80]
        let padded = (buffered + 1) % 64
        padding += [UInt8](repeating: 0, count: padded <= 56 ? 56 - padded : 120 - padded)
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        let savedLength = length
        update(padding)
        length = savedLength
        var digest: [UInt8] = []
        digest.reserveCapacity(20)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            digest += [
                UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                UInt8(truncatingIfNeeded: word),
            ]
        }
        return digest
    }

    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>, at offset: Int) {
        var w = [UInt32](repeating: 0, count: 80)
        for i in 0..<16 {
            let base = offset + i * 4
            w[i] =
                UInt32(block[base]) << 24 | UInt32(block[base + 1]) << 16 | UInt32(block[base + 2]) << 8
                | UInt32(block[base + 3])
        }
        for i in 16..<80 {
            let value = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
            w[i] = value << 1 | value >> 31
        }
        var (a, b, c, d, e) = state
        for i in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch i {
            case 0..<20:
                f = (b & c) | (~b & d)
                k = 0x5A82_7999
            case 20..<40:
                f = b ^ c ^ d
                k = 0x6ED9_EBA1
            case 40..<60:
                f = (b & c) | (b & d) | (c & d)
                k = 0x8F1B_BCDC
            default:
                f = b ^ c ^ d
                k = 0xCA62_C1D6
            }
            let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
            e = d
            d = c
            c = b << 30 | b >> 2
            b = a
            a = temp
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
    }
}

extension ObjectID {
    /// The SHA-1 of `text` (UTF-8), as an id: for keys that name inputs, not objects.
    public init(hashing text: String) {
        var hasher = SHA1()
        hasher.update(Array(text.utf8))
        self.init(bytes: hasher.finalize())!
    }
}

extension ObjectID {
    /// The SHA-1 of `bytes`, as an id.
    public init(hashingBytes bytes: [UInt8]) {
        var hasher = SHA1()
        hasher.update(bytes)
        self.init(bytes: hasher.finalize())!
    }
}
