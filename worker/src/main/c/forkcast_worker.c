/*
 * The worker's JNI helper: receives the client socket a spare worker is handed over the hub link (recvmsg with
 * SCM_RIGHTS) and moves it onto fd 0, without the start-up cost of the JDK's foreign-function API. Built by the
 * worker module's Maven build (gcc); io.forkcast.worker.hub.JniFd loads it, and FdReceiver falls back to the FFM
 * path when it cannot. Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BYTES 65536

/*
 * One blocking recvmsg of up to length(bytes) bytes on socket_fd, retried on EINTR. The bytes go to `bytes`,
 * a descriptor that came with them (close-on-exec) to fd_out[0] (-1 when none). Returns the byte count, or
 * minus errno.
 */
JNIEXPORT jint JNICALL Java_io_forkcast_worker_hub_JniFd_receive(
        JNIEnv *env, jclass cls, jint socket_fd, jbyteArray bytes, jintArray fd_out) {
    (void)cls;
    char data[MAX_BYTES];
    jsize capacity = (*env)->GetArrayLength(env, bytes);
    if (capacity > MAX_BYTES) {
        capacity = MAX_BYTES;
    }
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec iov = {.iov_base = data, .iov_len = (size_t)capacity};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.space;
    msg.msg_controllen = sizeof control.space;
    ssize_t n;
    do {
        n = recvmsg(socket_fd, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    jint fd = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            break;
        }
    }
    (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)n, (const jbyte *)data);
    (*env)->SetIntArrayRegion(env, fd_out, 0, 1, &fd);
    return (jint)n;
}

/* dup2(fd, 0), then close(fd). Returns 0, or the errno of dup2. */
JNIEXPORT jint JNICALL Java_io_forkcast_worker_hub_JniFd_moveToStdin(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    if (dup2(fd, 0) < 0) {
        return errno;
    }
    close(fd);
    return 0;
}
