#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cspawn.h"

int cspawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__)
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions;
    (void)lowest;
    return 0;  // Elsewhere every descriptor Tributary opens is close-on-exec.
#endif
}

int cspawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cspawn_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#include <errno.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupt_fd = -1;

static void interrupt_handler(int signal) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal;
    if (interrupt_fd >= 0) {
        ssize_t ignored = write(interrupt_fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int cspawn_watch_interrupts(int fd) {
    interrupt_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = interrupt_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    return 0;
}

int cspawn_heap_top_pad(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_TOP_PAD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
