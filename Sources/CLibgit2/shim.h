#ifndef TRIBUTARY_CLIBGIT2_SHIM_H
#define TRIBUTARY_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/index.h>

/* git_libgit2_opts is C-variadic and cannot be called from Swift: each option we use gets a
   fixed-signature wrapper here. */

/* git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled) */
static inline int tributary_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled) */
static inline int tributary_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/* git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled) */
static inline int tributary_git_set_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}

/* git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled) */
static inline int tributary_git_set_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}

/* git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size) */
static inline int tributary_git_set_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

#endif
