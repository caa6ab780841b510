/**
 * Constant tables of the epoll, poll, eventfd and signalfd syscalls, after strace's
 * `src/xlat/*.in` files (x86_64 values, strace's order).
 * @module
 */
import { type Xlat, xlat } from "../xlat.ts";

/** `epollflags`: the flags of epoll_create1. */
export const epollFlags: Xlat = xlat([["EPOLL_CLOEXEC", 0o2000000]]);

/** `epollevents`: `struct epoll_event` events. */
export const epollEvents: Xlat = xlat([
  ["EPOLLIN", 0x00000001],
  ["EPOLLPRI", 0x00000002],
  ["EPOLLOUT", 0x00000004],
  ["EPOLLERR", 0x00000008],
  ["EPOLLHUP", 0x00000010],
  ["EPOLLNVAL", 0x00000020],
  ["EPOLLRDNORM", 0x00000040],
  ["EPOLLRDBAND", 0x00000080],
  ["EPOLLWRNORM", 0x00000100],
  ["EPOLLWRBAND", 0x00000200],
  ["EPOLLMSG", 0x00000400],
  ["EPOLLRDHUP", 0x00002000],
  ["EPOLLEXCLUSIVE", 0x10000000],
  ["EPOLLWAKEUP", 0x20000000],
  ["EPOLLONESHOT", 0x40000000],
  ["EPOLLET", 0x80000000],
]);

/** `epollctls`: the operations of epoll_ctl. */
export const epollCtls: Xlat = xlat([
  ["EPOLL_CTL_ADD", 1],
  ["EPOLL_CTL_DEL", 2],
  ["EPOLL_CTL_MOD", 3],
]);

/** `pollflags`: `struct pollfd` events and revents. */
export const pollFlags: Xlat = xlat([
  ["POLLIN", 0x0001],
  ["POLLPRI", 0x0002],
  ["POLLOUT", 0x0004],
  ["POLLERR", 0x0008],
  ["POLLHUP", 0x0010],
  ["POLLNVAL", 0x0020],
  ["POLLRDNORM", 0x0040],
  ["POLLRDBAND", 0x0080],
  ["POLLWRNORM", 0x0100],
  ["POLLWRBAND", 0x0200],
  ["POLLMSG", 0x0400],
  ["POLLREMOVE", 0x1000],
  ["POLLRDHUP", 0x2000],
  ["POLL_BUSY_LOOP", 0x8000],
]);

/** `efd_flags`: the flags of eventfd2. */
export const efdFlags: Xlat = xlat([
  ["EFD_SEMAPHORE", 1],
  ["EFD_CLOEXEC", 0o2000000],
  ["EFD_NONBLOCK", 0o4000],
]);

/** `sfd_flags`: the flags of signalfd4. */
export const sfdFlags: Xlat = xlat([
  ["SFD_CLOEXEC", 0o2000000],
  ["SFD_NONBLOCK", 0o4000],
]);
