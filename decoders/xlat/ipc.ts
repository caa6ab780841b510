/**
 * Constant tables of the IPC syscalls (SysV shm/sem/msg, POSIX mqueues, pipes), after strace's
 * `src/xlat/*.in` files (x86_64 values, strace's order).
 * @module
 */
import { type Xlat, xlat } from "../xlat.ts";

/** `ipc_private`: the special key of shmget/semget/msgget. */
export const ipcPrivate: Xlat = xlat([["IPC_PRIVATE", 0]]);

/** `resource_flags`: the flags of semget/msgget. */
export const resourceFlags: Xlat = xlat([
  ["IPC_CREAT", 0o1000],
  ["IPC_EXCL", 0o2000],
  ["IPC_NOWAIT", 0o4000],
]);

/** `shm_resource_flags`: the flags of shmget. */
export const shmResourceFlags: Xlat = xlat([
  ["IPC_CREAT", 0o1000],
  ["IPC_EXCL", 0o2000],
  ["SHM_HUGETLB", 0o4000],
  ["SHM_NORESERVE", 0o10000],
]);

/** `shm_flags`: the flags of shmat. */
export const shmFlags: Xlat = xlat([
  ["SHM_RDONLY", 0o10000],
  ["SHM_RND", 0o20000],
  ["SHM_REMAP", 0o40000],
  ["SHM_EXEC", 0o100000],
]);

/** `semop_flags`: `struct sembuf` sem_flg. */
export const semopFlags: Xlat = xlat([
  ["SEM_UNDO", 0x1000],
  ["IPC_NOWAIT", 0o4000],
]);

/** `ipc_msg_flags`: the flags of msgsnd/msgrcv. */
export const ipcMsgFlags: Xlat = xlat([
  ["MSG_NOERROR", 0o10000],
  ["MSG_EXCEPT", 0o20000],
  ["MSG_COPY", 0o40000],
  ["IPC_NOWAIT", 0o4000],
]);

/** `shmctl_flags`: the commands of shmctl. */
export const shmctlCmds: Xlat = xlat([
  ["IPC_RMID", 0],
  ["IPC_SET", 1],
  ["IPC_STAT", 2],
  ["IPC_INFO", 3],
  ["SHM_LOCK", 11],
  ["SHM_UNLOCK", 12],
  ["SHM_STAT", 13],
  ["SHM_INFO", 14],
  ["SHM_STAT_ANY", 15],
]);

/** `semctl_flags`: the commands of semctl. */
export const semctlCmds: Xlat = xlat([
  ["IPC_RMID", 0],
  ["IPC_SET", 1],
  ["IPC_STAT", 2],
  ["IPC_INFO", 3],
  ["GETPID", 11],
  ["GETVAL", 12],
  ["GETALL", 13],
  ["GETNCNT", 14],
  ["GETZCNT", 15],
  ["SETVAL", 16],
  ["SETALL", 17],
  ["SEM_STAT", 18],
  ["SEM_INFO", 19],
  ["SEM_STAT_ANY", 20],
]);

/** `msgctl_flags`: the commands of msgctl. */
export const msgctlCmds: Xlat = xlat([
  ["IPC_RMID", 0],
  ["IPC_SET", 1],
  ["IPC_STAT", 2],
  ["IPC_INFO", 3],
  ["MSG_STAT", 11],
  ["MSG_INFO", 12],
  ["MSG_STAT_ANY", 13],
]);

/** `mq_attr_flags`: `struct mq_attr` mq_flags. */
export const mqAttrFlags: Xlat = xlat([["O_NONBLOCK", 0o4000]]);

/** `open_access_modes`: the access mode of open flags. */
export const openAccessModes: Xlat = xlat([
  ["O_RDONLY", 0],
  ["O_WRONLY", 1],
  ["O_RDWR", 2],
  ["O_ACCMODE", 3],
]);

/** `open_mode_flags`: open flags other than the access mode (also pipe2's flags). */
export const openModeFlags: Xlat = xlat([
  ["O_CREAT", 0o100],
  ["O_EXCL", 0o200],
  ["O_NOCTTY", 0o400],
  ["O_TRUNC", 0o1000],
  ["O_APPEND", 0o2000],
  ["O_NONBLOCK", 0o4000],
  ["O_SYNC", 0o4010000],
  ["__O_SYNC", 0o4000000],
  ["O_DSYNC", 0o10000],
  ["O_DIRECT", 0o40000],
  ["O_LARGEFILE", 0o100000],
  ["O_NOFOLLOW", 0o400000],
  ["O_NOATIME", 0o1000000],
  ["O_CLOEXEC", 0o2000000],
  ["O_PATH", 0o10000000],
  ["O_TMPFILE", 0o20200000],
  ["__O_TMPFILE", 0o20000000],
  ["O_DIRECTORY", 0o200000],
  ["FASYNC", 0o20000],
]);
