/**
 * Constant tables of userfaultfd's ioctls, in the order strace 6.1's `src/xlat/uffd_*.in` lists
 * them, with the values of `<linux/userfaultfd.h>` (bit numbers `_UFFDIO_*` as `1<<n` names).
 * @module
 */
import { xlat } from "../xlat.ts";
import type { Xlat } from "../xlat.ts";

/** `uffd_api_features`: `struct uffdio_api`'s `features`. */
export const uffdApiFeatures: Xlat = xlat([
  ["UFFD_FEATURE_PAGEFAULT_FLAG_WP", 1 << 0],
  ["UFFD_FEATURE_EVENT_FORK", 1 << 1],
  ["UFFD_FEATURE_EVENT_REMAP", 1 << 2],
  ["UFFD_FEATURE_EVENT_REMOVE", 1 << 3],
  ["UFFD_FEATURE_MISSING_HUGETLBFS", 1 << 4],
  ["UFFD_FEATURE_MISSING_SHMEM", 1 << 5],
  ["UFFD_FEATURE_EVENT_UNMAP", 1 << 6],
  ["UFFD_FEATURE_SIGBUS", 1 << 7],
  ["UFFD_FEATURE_THREAD_ID", 1 << 8],
  ["UFFD_FEATURE_MINOR_HUGETLBFS", 1 << 9],
  ["UFFD_FEATURE_MINOR_SHMEM", 1 << 10],
  ["UFFD_FEATURE_EXACT_ADDRESS", 1 << 11],
  ["UFFD_FEATURE_WP_HUGETLBFS_SHMEM", 1 << 12],
]);

/** `uffd_api_flags`: `struct uffdio_api`'s `ioctls` (`_UFFDIO_API` is bit 0x3f). */
export const uffdApiFlags: Xlat = xlat([
  ["1<<_UFFDIO_REGISTER", 2 ** 0x00],
  ["1<<_UFFDIO_UNREGISTER", 2 ** 0x01],
  ["1<<_UFFDIO_API", 2 ** 0x3f],
]);

/** `uffd_copy_flags`: `struct uffdio_copy`'s `mode`. */
export const uffdCopyFlags: Xlat = xlat([
  ["UFFDIO_COPY_MODE_DONTWAKE", 1 << 0],
  ["UFFDIO_COPY_MODE_WP", 1 << 1],
]);

/** `uffd_register_ioctl_flags`: `struct uffdio_register`'s `ioctls`. */
export const uffdRegisterIoctlFlags: Xlat = xlat([
  ["1<<_UFFDIO_WAKE", 1 << 0x02],
  ["1<<_UFFDIO_COPY", 1 << 0x03],
  ["1<<_UFFDIO_ZEROPAGE", 1 << 0x04],
  ["1<<_UFFDIO_WRITEPROTECT", 1 << 0x06],
  ["1<<_UFFDIO_CONTINUE", 1 << 0x07],
]);

/** `uffd_register_mode_flags`: `struct uffdio_register`'s `mode`. */
export const uffdRegisterModeFlags: Xlat = xlat([
  ["UFFDIO_REGISTER_MODE_MISSING", 1 << 0],
  ["UFFDIO_REGISTER_MODE_WP", 1 << 1],
  ["UFFDIO_REGISTER_MODE_MINOR", 1 << 2],
]);

/** `uffd_zeropage_flags`: `struct uffdio_zeropage`'s `mode`. */
export const uffdZeropageFlags: Xlat = xlat([
  ["UFFDIO_ZEROPAGE_MODE_DONTWAKE", 1 << 0],
]);
