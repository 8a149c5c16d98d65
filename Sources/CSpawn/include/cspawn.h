#ifndef TRIBUTARY_CSPAWN_H
#define TRIBUTARY_CSPAWN_H

#include <spawn.h>

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+): the child closes every descriptor
/// from `lowest` up. Declared only under _GNU_SOURCE, which Swift's Glibc module does not set.
int cspawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// glibc's posix_spawn_file_actions_addchdir_np (2.29+): the child changes directory before exec.
int cspawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are close-on-exec from the start, so a program
/// started concurrently by another thread cannot inherit them.
int cspawn_pipe_cloexec(int fds[2]);

/// Installs handlers for SIGINT and SIGTERM that write the signal's number, one byte, to `fd`
/// (the write end of a non-blocking pipe; `Interrupts` reads the other end on a thread of its
/// own) and do nothing else, as a handler may. System calls the signal interrupts are restarted.
int cspawn_watch_interrupts(int fd);

/// mallopt(M_TOP_PAD, bytes): the heap grows by at least `bytes` each time it grows, in fewer
/// system calls (malloc.h, which Swift's Glibc module does not include).
int cspawn_heap_top_pad(int bytes);

#endif
