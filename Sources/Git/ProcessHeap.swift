import CSpawn

/// The process's malloc heap (glibc).
public enum ProcessHeap {
    /// Makes the heap grow by at least `bytes` each time it must grow (`mallopt(M_TOP_PAD)`),
    /// in fewer system calls, for a process that allocates much as it goes and exits soon.
    /// Does nothing where the C library has no such setting.
    public static func growInSteps(ofAtLeast bytes: Int) {
        _ = cspawn_heap_top_pad(Int32(clamping: bytes))
    }
}
