#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// C strings that must outlive a libgit2 call which keeps pointers to them (pathspecs, tree
/// update paths): copied with `strdup` and freed with `free` when the value goes away.
final class CStringArray {
    private(set) var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }
}
