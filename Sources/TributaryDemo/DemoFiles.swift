/// The files of the demo's mainline base: a small slice of a memory-management subsystem with a
/// MAINTAINERS file that has a section per sub-component.
enum DemoFiles {
    static let maintainers = """
        List of maintainers for the Tributary demo tree

        Descriptions of section entries and preferred order
        \tM: *Mail* patches to: FullName <address@domain>
        \tR: Designated *Reviewer*: FullName <address@domain>
        \tL: *Mailing list* that is relevant to this area
        \tS: *Status*, one of Supported, Maintained, Odd Fixes, Orphan, Obsolete
        \tT: *SCM* tree type and location.
        \tF: *Files* and directories wildcard patterns.

        Maintainers List
        ----------------

        MEMBLOCK AND MEMORY MANAGEMENT INITIALIZATION
        M:\t\(DemoPerson.memblockMaintainer.identity)
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        T:\tgit https://git.example.org/memblock.git for-next
        F:\tinclude/linux/memblock.h
        F:\tmm/memblock.c

        MEMORY MANAGEMENT - CORE
        M:\t\(DemoPerson.mmIntegrator.identity)
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        T:\tgit https://git.example.org/mm.git mm-next
        F:\tinclude/linux/mm.h
        F:\tmm/page_alloc.c

        MEMORY MANAGEMENT - THP (TRANSPARENT HUGE PAGE)
        M:\t\(DemoPerson.thpMaintainer.identity)
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        T:\tgit https://git.example.org/thp.git for-next
        F:\tinclude/linux/huge_mm.h
        F:\tmm/huge_memory.c

        MEMORY MAPPING
        M:\t\(DemoPerson.vmaMaintainer.identity)
        R:\t\(DemoPerson.vmaReviewer.identity)
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        T:\tgit https://git.example.org/vma.git for-next
        F:\tmm/mmap.c
        F:\tmm/vma.c
        F:\tmm/vma.h

        SLAB ALLOCATOR
        M:\t\(DemoPerson.slabMaintainer.identity)
        R:\t\(DemoPerson.slabReviewer.identity)
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        T:\tgit https://git.example.org/slab.git for-next
        F:\tDocumentation/mm/slab.rst
        F:\tinclude/linux/slab.h
        F:\tmm/slab.h
        F:\tmm/slub.c

        THE REST
        M:\t\(DemoPerson.mainline.identity)
        L:\tlinux-kernel@lists.example.org
        S:\tBuried alive in reporters
        F:\t*
        F:\t*/

        """

    static let mmHeader = """
        /* SPDX-License-Identifier: GPL-2.0 */
        #ifndef _LINUX_MM_H
        #define _LINUX_MM_H

        #include <linux/gfp.h>
        #include <linux/mmzone.h>

        struct vm_area_struct;
        struct folio;

        extern unsigned long totalram_pages(void);

        /* Flags for vm_area_struct->vm_flags */
        #define VM_NONE\t\t0x00000000
        #define VM_READ\t\t0x00000001
        #define VM_WRITE\t0x00000002
        #define VM_EXEC\t\t0x00000004
        #define VM_SHARED\t0x00000008

        static inline bool vma_is_anonymous(struct vm_area_struct *vma)
        {
        \treturn !vma->vm_ops;
        }

        int folio_mapcount(struct folio *folio);
        void folio_put(struct folio *folio);

        #endif /* _LINUX_MM_H */

        """

    static let slub = """
        // SPDX-License-Identifier: GPL-2.0
        /*
         * SLUB: A slab allocator that limits cache line use instead of queuing
         * objects in per cpu and per node lists.
         */
        #include <linux/mm.h>
        #include <linux/slab.h>
        #include "slab.h"

        struct kmem_cache *kmem_cache_create(const char *name, unsigned int size)
        {
        \tstruct kmem_cache *s = kmalloc(sizeof(*s), GFP_KERNEL);

        \tif (!s)
        \t\treturn NULL;
        \ts->name = name;
        \ts->size = size;
        \treturn s;
        }

        int kmem_cache_shrink(struct kmem_cache *s)
        {
        \tflush_all(s);
        \treturn __kmem_cache_shrink(s);
        }

        void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
        {
        \treturn slab_alloc(s, flags, _RET_IP_);
        }

        """

    static let slabInternal = """
        /* SPDX-License-Identifier: GPL-2.0 */
        #ifndef MM_SLAB_H
        #define MM_SLAB_H

        struct kmem_cache {
        \tconst char *name;
        \tunsigned int size;
        \tunsigned int object_size;
        };

        void flush_all(struct kmem_cache *s);

        #endif /* MM_SLAB_H */

        """

    static let slabHeader = """
        /* SPDX-License-Identifier: GPL-2.0 */
        #ifndef _LINUX_SLAB_H
        #define _LINUX_SLAB_H

        struct kmem_cache;

        void *kmalloc(size_t size, gfp_t flags);
        void kfree(const void *objp);

        #endif /* _LINUX_SLAB_H */

        """

    static let memblock = """
        // SPDX-License-Identifier: GPL-2.0-or-later
        /*
         * Procedures for maintaining information about logical memory blocks.
         */
        #include <linux/memblock.h>

        struct memblock memblock;

        phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align)
        {
        \treturn memblock_find_in_range(0, MEMBLOCK_ALLOC_ACCESSIBLE, size, align);
        }

        void memblock_free_late(phys_addr_t base, phys_addr_t size)
        {
        \tunsigned long cursor = PFN_UP(base);
        \tunsigned long end = PFN_DOWN(base + size);

        \tfor (; cursor < end; cursor++)
        \t\tmemblock_free_pages(pfn_to_page(cursor), cursor, 0);
        }

        """

    static let memblockHeader = """
        /* SPDX-License-Identifier: GPL-2.0-or-later */
        #ifndef _LINUX_MEMBLOCK_H
        #define _LINUX_MEMBLOCK_H

        void memblock_free_late(phys_addr_t base, phys_addr_t size);

        #endif /* _LINUX_MEMBLOCK_H */

        """

    static let vma = """
        // SPDX-License-Identifier: GPL-2.0-or-later
        /*
         * VMA-specific functions.
         */
        #include <linux/mm.h>
        #include "vma.h"

        int vma_expand(struct vma_merge_struct *vmg)
        {
        \tstruct vm_area_struct *vma = vmg->target;

        \tif (!vma)
        \t\treturn -EINVAL;
        \treturn vma_complete(vmg);
        }

        void vma_close(struct vm_area_struct *vma)
        {
        \tif (vma->vm_ops && vma->vm_ops->close)
        \t\tvma->vm_ops->close(vma);
        }

        """

    static let vmaHeader = """
        /* SPDX-License-Identifier: GPL-2.0-or-later */
        #ifndef __MM_VMA_H
        #define __MM_VMA_H

        struct vma_merge_struct {
        \tstruct vm_area_struct *target;
        };

        int vma_expand(struct vma_merge_struct *vmg);

        #endif /* __MM_VMA_H */

        """

    static let mmap = """
        // SPDX-License-Identifier: GPL-2.0-only
        /*
         * mm/mmap.c
         */
        #include <linux/mm.h>
        #include "vma.h"

        unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len)
        {
        \tif (!len)
        \t\treturn -EINVAL;
        \treturn mmap_region(file, addr, len);
        }

        """

    static let hugeMemory = """
        // SPDX-License-Identifier: GPL-2.0-only
        /*
         * Transparent huge pages.
         */
        #include <linux/mm.h>
        #include <linux/huge_mm.h>

        bool thp_vma_allowable(struct vm_area_struct *vma, unsigned long vm_flags)
        {
        \tif (vma_is_anonymous(vma))
        \t\treturn true;
        \treturn false;
        }

        void split_huge_page(struct folio *folio)
        {
        \tfolio_put(folio);
        }

        """

    static let hugeHeader = """
        /* SPDX-License-Identifier: GPL-2.0 */
        #ifndef _LINUX_HUGE_MM_H
        #define _LINUX_HUGE_MM_H

        bool thp_vma_allowable(struct vm_area_struct *vma, unsigned long vm_flags);

        #endif /* _LINUX_HUGE_MM_H */

        """

    static let pageAlloc = """
        // SPDX-License-Identifier: GPL-2.0-only
        /*
         *  linux/mm/page_alloc.c
         *
         *  Manages the free list, the system allocates free pages here.
         *  Note that kmalloc() lives in slab.c
         */
        #include <linux/mm.h>

        /* Returns the number of pages the allocater handed out. */
        unsigned long nr_allocated_pages(void)
        {
        \treturn atomic_long_read(&allocated_pages);
        }

        """

    static let slabDocumentation = """
        ===============
        Slab allocation
        ===============

        The slab allocator hands out objects of fixed size from caches.

        """

    /// The base tree: path → contents.
    static let base: [String: String] = [
        "MAINTAINERS": maintainers,
        "include/linux/mm.h": mmHeader,
        "include/linux/slab.h": slabHeader,
        "include/linux/memblock.h": memblockHeader,
        "include/linux/huge_mm.h": hugeHeader,
        "mm/slub.c": slub,
        "mm/slab.h": slabInternal,
        "mm/memblock.c": memblock,
        "mm/vma.c": vma,
        "mm/vma.h": vmaHeader,
        "mm/mmap.c": mmap,
        "mm/huge_memory.c": hugeMemory,
        "mm/page_alloc.c": pageAlloc,
        "Documentation/mm/slab.rst": slabDocumentation,
    ]
}
