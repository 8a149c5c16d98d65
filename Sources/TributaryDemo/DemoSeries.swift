/// One change a demo patch makes to a file.
enum DemoEdit: Sendable {
    /// Replace the first occurrence of `old` with `new`.
    case replace(String, old: String, new: String)
    /// Insert `text` right after the first occurrence of `anchor`.
    case insert(String, after: String, text: String)
}

/// A patch of a demo series, as it was committed to a sub-tree.
struct DemoPatch: Sendable {
    var subject: String
    var body: String
    var author: DemoPerson
    var edits: [DemoEdit]
    var trailers: [(String, String)]
    /// The problem this patch was written to have, for the demo's own report; nil when its tags
    /// are complete.
    var plantedProblem: String?
}

/// A series posted to the list and applied to a sub-tree.
struct DemoSeriesSpec: Sendable {
    var title: String
    /// The message-id stem of the posting; patch k gets `<stem>-k-<sender>@example.org`.
    var messageIDStem: String
    var patches: [DemoPatch]
}

/// A sub-tree of the demo and the series it carries.
struct DemoTreeSpec: Sendable {
    var name: String
    var maintainer: DemoPerson
    var ownedSection: String
    var series: [DemoSeriesSpec]
}

enum DemoContent {
    static let mainlineTag = "v7.0-rc1"

    static func link(_ stem: String, _ number: Int, _ sender: DemoPerson) -> String {
        "https://patch.msgid.link/\(stem).\(number)-\(sender.rawValue.lowercased().replacingOccurrences(of: " ", with: "-"))@example.org"
    }

    /// The same fix applied to two trees: it shows up as a duplicate (same patch-id, different
    /// commits).
    static func typoFix(committer: DemoPerson) -> DemoPatch {
        DemoPatch(
            subject: "mm/page_alloc: fix typo in comment",
            body: "\"allocater\" should be \"allocator\".",
            author: .memblockContributor,
            edits: [.replace("mm/page_alloc.c", old: "the allocater handed", new: "the allocator handed")],
            trailers: [
                ("Signed-off-by", DemoPerson.memblockContributor.identity),
                ("Acked-by", DemoPerson.mmIntegrator.identity),
                ("Link", link("20260302093000", 1, .memblockContributor)),
                ("Signed-off-by", committer.identity),
            ]
        )
    }

    static let trees: [DemoTreeSpec] = [
        DemoTreeSpec(
            name: "slab", maintainer: .slabMaintainer, ownedSection: "SLAB ALLOCATOR",
            series: [
                DemoSeriesSpec(
                    title: "[PATCH v3 0/3] slab: introduce per-cpu sheaves", messageIDStem: "20260301100000",
                    patches: [
                        DemoPatch(
                            subject: "slab: add the sheaf structure",
                            body:
                                "A sheaf is a per-cpu array of free objects that can be refilled\nand flushed in bulk.",
                            author: .slabContributor,
                            edits: [
                                .insert(
                                    "mm/slab.h", after: "\tunsigned int object_size;\n",
                                    text: "\tstruct slab_sheaf __percpu *sheaves;\n"),
                                .insert(
                                    "mm/slab.h", after: "void flush_all(struct kmem_cache *s);\n",
                                    text: "void sheaf_flush(struct kmem_cache *s);\n"),
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.slabContributor.identity),
                                ("Reviewed-by", DemoPerson.slabReviewer.identity),
                                ("Link", link("20260301100000", 1, .slabContributor)),
                                ("Signed-off-by", DemoPerson.slabMaintainer.identity),
                            ]),
                        DemoPatch(
                            subject: "slab: allocate from sheaves first",
                            body: "Try the per-cpu sheaf before taking the slow path.",
                            author: .slabContributor,
                            edits: [
                                .replace(
                                    "mm/slub.c", old: "\treturn slab_alloc(s, flags, _RET_IP_);\n",
                                    new:
                                        "\tvoid *object = sheaf_alloc(s, flags);\n\n\tif (object)\n\t\treturn object;\n\treturn slab_alloc(s, flags, _RET_IP_);\n"
                                )
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.slabContributor.identity),
                                ("Reviewed-by", DemoPerson.slabReviewer.identity),
                                ("Link", link("20260301100000", 2, .slabContributor)),
                                ("Signed-off-by", DemoPerson.slabMaintainer.identity),
                            ]),
                        DemoPatch(
                            subject: "mm, slab: declare the sheaf counters in mm.h",
                            body: "The vmstat code needs the number of objects held in sheaves.",
                            author: .slabContributor,
                            edits: [
                                .insert(
                                    "include/linux/mm.h", after: "void folio_put(struct folio *folio);\n",
                                    text: "unsigned long nr_sheaf_objects(void);\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.slabContributor.identity),
                                ("Acked-by", DemoPerson.mmIntegrator.identity),
                                ("Link", link("20260301100000", 3, .slabContributor)),
                                ("Signed-off-by", DemoPerson.slabMaintainer.identity),
                            ]),
                    ]),
                DemoSeriesSpec(
                    title: "[PATCH] slab: flush sheaves before shrinking", messageIDStem: "20260303110000",
                    patches: [
                        DemoPatch(
                            subject: "slab: flush sheaves before shrinking",
                            body: "kmem_cache_shrink() must not leave objects behind in sheaves.",
                            author: .slabContributor,
                            edits: [
                                .replace(
                                    "mm/slub.c", old: "\tflush_all(s);\n", new: "\tflush_all(s);\n\tsheaf_flush(s);\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.slabContributor.identity),
                                ("Link", link("20260303110000", 1, .slabContributor)),
                            ],
                            plantedProblem: "no Signed-off-by from the committer (Slab Maintainer)")
                    ]),
            ]),
        DemoTreeSpec(
            name: "memblock", maintainer: .memblockMaintainer,
            ownedSection: "MEMBLOCK AND MEMORY MANAGEMENT INITIALIZATION",
            series: [
                DemoSeriesSpec(
                    title: "[PATCH v2 0/2] memblock: tidy up memblock_free_late()", messageIDStem: "20260301120000",
                    patches: [
                        DemoPatch(
                            subject: "memblock: use unsigned long for the pfn cursor",
                            body: "Make the loop variable names say what they hold.",
                            author: .memblockContributor,
                            edits: [
                                .replace(
                                    "mm/memblock.c", old: "\tunsigned long cursor = PFN_UP(base);\n",
                                    new: "\tunsigned long pfn = PFN_UP(base);\n"),
                                .replace(
                                    "mm/memblock.c",
                                    old:
                                        "\tfor (; cursor < end; cursor++)\n\t\tmemblock_free_pages(pfn_to_page(cursor), cursor, 0);\n",
                                    new:
                                        "\tfor (; pfn < end; pfn++)\n\t\tmemblock_free_pages(pfn_to_page(pfn), pfn, 0);\n"
                                ),
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.memblockContributor.identity),
                                ("Link", link("20260301120000", 1, .memblockContributor)),
                                ("Signed-off-by", DemoPerson.memblockMaintainer.identity),
                            ]),
                        DemoPatch(
                            subject: "memblock: document memblock_free_late()",
                            body: "Say when it may be called.",
                            author: .memblockContributor,
                            edits: [
                                .insert(
                                    "include/linux/memblock.h", after: "#define _LINUX_MEMBLOCK_H\n\n",
                                    text: "/* Free boot memory after the page allocator is up. */\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.memblockContributor.identity),
                                ("Link", link("20260301120000", 2, .memblockContributor)),
                                ("Signed-off-by", DemoPerson.memblockMaintainer.identity),
                            ]),
                    ]),
                DemoSeriesSpec(
                    title: "[PATCH] mm/page_alloc: fix typo in comment", messageIDStem: "20260302093000",
                    patches: [typoFix(committer: .memblockMaintainer)]),
            ]),
        DemoTreeSpec(
            name: "vma", maintainer: .vmaMaintainer, ownedSection: "MEMORY MAPPING",
            series: [
                DemoSeriesSpec(
                    title: "[PATCH v4 0/2] mm: add VM_SEALED", messageIDStem: "20260302140000",
                    patches: [
                        DemoPatch(
                            subject: "mm: add the VM_SEALED flag",
                            body: "A sealed mapping cannot be unmapped, moved or shrunk.",
                            author: .vmaContributor,
                            edits: [
                                .insert(
                                    "include/linux/mm.h", after: "#define VM_SHARED\t0x00000008\n",
                                    text: "#define VM_SEALED\t0x00000010\n"),
                                .insert(
                                    "mm/vma.c", after: "\tif (!vma)\n\t\treturn -EINVAL;\n",
                                    text: "\tif (vma->vm_flags & VM_SEALED)\n\t\treturn -EPERM;\n"),
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.vmaContributor.identity),
                                ("Reviewed-by", DemoPerson.vmaReviewer.identity),
                                ("Acked-by", DemoPerson.mmIntegrator.identity),
                                ("Link", link("20260302140000", 1, .vmaContributor)),
                                ("Signed-off-by", DemoPerson.vmaMaintainer.identity),
                            ]),
                        DemoPatch(
                            subject: "mm/mmap: refuse to map over a sealed range",
                            body: "Check the seal before replacing mappings.",
                            author: .vmaContributor,
                            edits: [
                                .replace(
                                    "mm/mmap.c", old: "\tif (!len)\n\t\treturn -EINVAL;\n",
                                    new:
                                        "\tif (!len)\n\t\treturn -EINVAL;\n\tif (range_is_sealed(addr, len))\n\t\treturn -EPERM;\n"
                                )
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.vmaContributor.identity),
                                ("Reviewed-by", DemoPerson.vmaReviewer.identity),
                                ("Link", link("20260302140000", 2, .vmaContributor)),
                                ("Signed-off-by", DemoPerson.vmaMaintainer.identity),
                            ]),
                    ]),
                DemoSeriesSpec(
                    title: "[PATCH] mm/vma: let THP check sealed VMAs", messageIDStem: "20260304080000",
                    patches: [
                        DemoPatch(
                            subject: "mm/vma: let THP check sealed VMAs",
                            body: "Do not collapse huge pages in sealed mappings.",
                            author: .vmaContributor,
                            edits: [
                                .insert(
                                    "mm/huge_memory.c",
                                    after:
                                        "bool thp_vma_allowable(struct vm_area_struct *vma, unsigned long vm_flags)\n{\n",
                                    text: "\tif (vm_flags & VM_SEALED)\n\t\treturn false;\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.vmaContributor.identity),
                                ("Reviewed-by", DemoPerson.vmaReviewer.identity),
                                ("Link", link("20260304080000", 1, .vmaContributor)),
                                ("Signed-off-by", DemoPerson.vmaMaintainer.identity),
                            ],
                            plantedProblem:
                                "touches mm/huge_memory.c (MEMORY MANAGEMENT - THP) without an Acked-by or Reviewed-by from THP Maintainer"
                        )
                    ]),
            ]),
        DemoTreeSpec(
            name: "thp", maintainer: .thpMaintainer, ownedSection: "MEMORY MANAGEMENT - THP (TRANSPARENT HUGE PAGE)",
            series: [
                DemoSeriesSpec(
                    title: "[PATCH 0/2] mm: thp: honour VM_HUGEPAGE", messageIDStem: "20260302160000",
                    patches: [
                        DemoPatch(
                            subject: "mm: add the VM_HUGEPAGE flag",
                            body: "Let madvise(MADV_HUGEPAGE) mark a mapping.",
                            author: .thpContributor,
                            edits: [
                                .insert(
                                    "include/linux/mm.h", after: "#define VM_SHARED\t0x00000008\n",
                                    text: "#define VM_HUGEPAGE\t0x00000010\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.thpContributor.identity),
                                ("Acked-by", DemoPerson.mmIntegrator.identity),
                                ("Link", link("20260302160000", 1, .thpContributor)),
                                ("Signed-off-by", DemoPerson.thpMaintainer.identity),
                            ]),
                        DemoPatch(
                            subject: "mm: thp: allow THP only for VM_HUGEPAGE mappings",
                            body: "Anonymous mappings must ask for huge pages.",
                            author: .thpContributor,
                            edits: [
                                .replace(
                                    "mm/huge_memory.c", old: "\tif (vma_is_anonymous(vma))\n\t\treturn true;\n",
                                    new: "\tif (vma_is_anonymous(vma) && (vm_flags & VM_HUGEPAGE))\n\t\treturn true;\n")
                            ],
                            trailers: [
                                ("Signed-off-by", DemoPerson.thpContributor.identity),
                                ("Link", link("20260302160000", 2, .thpContributor)),
                                ("Signed-off-by", DemoPerson.thpMaintainer.identity),
                            ]),
                    ]),
                DemoSeriesSpec(
                    title: "[PATCH] mm: thp: fix folio leak in split_huge_page()", messageIDStem: "20260305090000",
                    patches: [
                        DemoPatch(
                            subject: "mm: thp: fix folio leak in split_huge_page()",
                            body: "The reference taken by the caller was dropped twice.",
                            author: .thpContributor,
                            edits: [
                                .replace(
                                    "mm/huge_memory.c", old: "\tfolio_put(folio);\n",
                                    new: "\tif (folio_test_large(folio))\n\t\tfolio_put(folio);\n")
                            ],
                            trailers: [
                                ("Fixes", "{{BASE:8}} (\"mm: thp: split huge page\")"),
                                ("Signed-off-by", DemoPerson.thpContributor.identity),
                                ("Link", link("20260305090000", 1, .thpContributor)),
                                ("Signed-off-by", DemoPerson.thpMaintainer.identity),
                            ],
                            plantedProblem: "Fixes: has an 8-digit hash and a subject that is not the target's")
                    ]),
                DemoSeriesSpec(
                    title: "[PATCH] mm/page_alloc: fix typo in comment", messageIDStem: "20260302093000",
                    patches: [typoFix(committer: .thpMaintainer)]),
            ]),
    ]
}
