/**
 * Constant tables of the memory-management syscalls (mmap, mprotect, madvise, …), after strace's
 * `src/xlat/*.in` files, with x86_64 values and strace's order.
 * @module
 */
import { type Xlat, xlat } from "../xlat.ts";

/** `mmap_prot`: the `prot` bits of mmap/mprotect. */
export const mmapProt: Xlat = xlat([
  ["PROT_NONE", 0x0],
  ["PROT_READ", 0x1],
  ["PROT_WRITE", 0x2],
  ["PROT_EXEC", 0x4],
  ["PROT_SEM", 0x8],
  ["PROT_GROWSDOWN", 0x01000000],
  ["PROT_GROWSUP", 0x02000000],
]);

/** `mmap_flags`: the `flags` of mmap (the map type in the low nibble, then flag bits). */
export const mmapFlags: Xlat = xlat([
  ["MAP_SHARED", 0x1],
  ["MAP_PRIVATE", 0x2],
  ["MAP_SHARED_VALIDATE", 0x3],
  ["MAP_FIXED", 0x10],
  ["MAP_ANONYMOUS", 0x20],
  ["MAP_32BIT", 0x40],
  ["MAP_NORESERVE", 0x4000],
  ["MAP_POPULATE", 0x8000],
  ["MAP_NONBLOCK", 0x10000],
  ["MAP_GROWSDOWN", 0x100],
  ["MAP_DENYWRITE", 0x800],
  ["MAP_EXECUTABLE", 0x1000],
  ["MAP_FILE", 0x0],
  ["MAP_LOCKED", 0x2000],
  ["MAP_STACK", 0x20000],
  ["MAP_HUGETLB", 0x40000],
  ["MAP_SYNC", 0x80000],
  ["MAP_UNINITIALIZED", 0x4000000],
  ["MAP_FIXED_NOREPLACE", 0x100000],
]);

/** `mremap_flags`: the `flags` of mremap. */
export const mremapFlags: Xlat = xlat([
  ["MREMAP_MAYMOVE", 1],
  ["MREMAP_FIXED", 2],
  ["MREMAP_DONTUNMAP", 4],
]);

/** `madvise_cmds`: the `advice` of madvise/process_madvise. */
export const madviseCmds: Xlat = xlat([
  ["MADV_NORMAL", 0],
  ["MADV_RANDOM", 1],
  ["MADV_SEQUENTIAL", 2],
  ["MADV_WILLNEED", 3],
  ["MADV_DONTNEED", 4],
  ["MADV_FREE", 8],
  ["MADV_REMOVE", 9],
  ["MADV_DONTFORK", 10],
  ["MADV_DOFORK", 11],
  ["MADV_MERGEABLE", 12],
  ["MADV_UNMERGEABLE", 13],
  ["MADV_HUGEPAGE", 14],
  ["MADV_NOHUGEPAGE", 15],
  ["MADV_DONTDUMP", 16],
  ["MADV_DODUMP", 17],
  ["MADV_WIPEONFORK", 18],
  ["MADV_KEEPONFORK", 19],
  ["MADV_COLD", 20],
  ["MADV_PAGEOUT", 21],
  ["MADV_POPULATE_READ", 22],
  ["MADV_POPULATE_WRITE", 23],
  ["MADV_DONTNEED_LOCKED", 24],
  ["MADV_COLLAPSE", 25],
  ["MADV_HWPOISON", 100],
  ["MADV_SOFT_OFFLINE", 101],
]);

/** `mlockall_flags`: the flags of mlockall. */
export const mlockallFlags: Xlat = xlat([
  ["MCL_CURRENT", 1],
  ["MCL_FUTURE", 2],
  ["MCL_ONFAULT", 4],
]);

/** `mctl_sync`: the flags of msync. */
export const mctlSync: Xlat = xlat([
  ["MS_SYNC", 4],
  ["MS_ASYNC", 1],
  ["MS_INVALIDATE", 2],
]);

/** `mlock_flags`: the flags of mlock2. */
export const mlockFlags: Xlat = xlat([["MLOCK_ONFAULT", 1]]);

/** `membarrier_cmds`: the commands of membarrier. */
export const membarrierCmds: Xlat = xlat([
  ["MEMBARRIER_CMD_QUERY", 0],
  ["MEMBARRIER_CMD_GLOBAL", 1 << 0],
  ["MEMBARRIER_CMD_GLOBAL_EXPEDITED", 1 << 1],
  ["MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", 1 << 2],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED", 1 << 3],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", 1 << 4],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", 1 << 5],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", 1 << 6],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", 1 << 7],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", 1 << 8],
]);

/** `membarrier_flags`: the flags of membarrier. */
export const membarrierFlags: Xlat = xlat([["MEMBARRIER_CMD_FLAG_CPU", 1]]);

/** `memfd_secret_flags`: the flags of memfd_secret. */
export const memfdSecretFlags: Xlat = xlat([["O_CLOEXEC", 0o2000000]]);

/** `pkey_access`: the access rights of pkey_alloc. */
export const pkeyAccess: Xlat = xlat([
  ["PKEY_DISABLE_ACCESS", 0x1],
  ["PKEY_DISABLE_WRITE", 0x2],
  ["PKEY_DISABLE_EXECUTE", 0x4],
]);

/** `mpol_modes`: the memory policy modes of set_mempolicy, get_mempolicy and mbind. */
export const mpolModes: Xlat = xlat([
  ["MPOL_DEFAULT", 0],
  ["MPOL_PREFERRED", 1],
  ["MPOL_BIND", 2],
  ["MPOL_INTERLEAVE", 3],
  ["MPOL_LOCAL", 4],
  ["MPOL_PREFERRED_MANY", 5],
]);

/** `mpol_mode_flags`: the mode flags or-ed into a memory policy mode. */
export const mpolModeFlags: Xlat = xlat([
  ["MPOL_F_STATIC_NODES", 1 << 15],
  ["MPOL_F_RELATIVE_NODES", 1 << 14],
  ["MPOL_F_NUMA_BALANCING", 1 << 13],
]);

/** `mbind_flags`: the flags of mbind. */
export const mbindFlags: Xlat = xlat([
  ["MPOL_MF_STRICT", 1],
  ["MPOL_MF_MOVE", 2],
  ["MPOL_MF_MOVE_ALL", 4],
]);

/** `get_mempolicy_flags`: the flags of get_mempolicy. */
export const getMempolicyFlags: Xlat = xlat([
  ["MPOL_F_NODE", 1],
  ["MPOL_F_ADDR", 2],
  ["MPOL_F_MEMS_ALLOWED", 4],
]);
