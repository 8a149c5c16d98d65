import Tributary

/// libFuzzer entry point: reads the input as a MAINTAINERS file, builds the index, and matches
/// paths and a patch made from the input against it. Any crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMaintainers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let file = MaintainersFile(contents: text, name: "MAINTAINERS")
    let index = OwnershipIndex(file, directories: ["drivers", "mm", "include/linux"])
    let lookup = MaintainerLookup(index: index, mailmap: MaintainerMailmap(contents: text))
    let paths = ["mm/slub.c", "drivers/net/ethernet/intel/e1000/e1000_main.c", "include/linux/mm.h", "README", ""]
    _ = lookup.answer(paths: paths)
    // Lines of the input as paths too, so patterns meet paths shaped like them.
    for line in text.split(separator: "\n").prefix(64) {
        _ = index.sections(for: String(line.drop { $0 == " " || $0 == "\t" }.dropFirst(2)))
    }
    _ = lookup.answer(patch: text)
    return 0
}
