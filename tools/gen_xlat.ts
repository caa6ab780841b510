/**
 * Generates constant tables (`decoders/xlat/*.ts`) from the kernel and libc headers on this
 * machine (Debian's `linux-libc-dev`), as strace generates its `xlat/*.h` from `xlat/*.in`:
 * the spec below lists each table's names in strace's order, and a small C program compiled with
 * the named headers prints their values. A name written `NAME=EXPR` takes its value from `EXPR`
 * (for constants no installed header defines, e.g. kernel-internal `LOGLEVEL_*`).
 *
 * Usage: `deno run -A tools/gen_xlat.ts` (rewrites the generated files, then run `deno fmt`).
 * @module
 */

/** One table: its exported name, its doc line, the headers, and its names in print order. */
interface TableSpec {
  /** The exported constant's name. */
  name: string;
  /** One line of JSDoc. */
  doc: string;
  /** Headers to include (`<linux/mount.h>`). */
  headers: string[];
  /** Names in strace's order; `NAME=EXPR` for a value given by a C expression. */
  names: string[];
}

/** The generated files: output path (from the project root) and its tables. */
const FILES: Record<string, { doc: string; tables: TableSpec[] }> = {
  "decoders/xlat/admin.ts": {
    doc: "Constant tables for mounts, namespaces, modules, reboot, swap, syslog, keys, ioprio, " +
      "kcmp, landlock, the mount API, sched_attr, futex_waitv, io_uring, kexec, move_pages, aio, " +
      "keyctl and quotactl",
    tables: [
      {
        name: "mountFlags",
        doc: "`mount(2)` flags (strace's `mount_flags`).",
        headers: ["<linux/mount.h>"],
        names: [
          "MS_RDONLY",
          "MS_NOSUID",
          "MS_NODEV",
          "MS_NOEXEC",
          "MS_SYNCHRONOUS",
          "MS_REMOUNT",
          "MS_MANDLOCK",
          "MS_DIRSYNC",
          "MS_NOSYMFOLLOW",
          "MS_NOATIME",
          "MS_NODIRATIME",
          "MS_BIND",
          "MS_MOVE",
          "MS_REC",
          "MS_SILENT",
          "MS_POSIXACL",
          "MS_UNBINDABLE",
          "MS_PRIVATE",
          "MS_SLAVE",
          "MS_SHARED",
          "MS_RELATIME",
          "MS_KERNMOUNT",
          "MS_I_VERSION",
          "MS_STRICTATIME",
          "MS_LAZYTIME",
          "MS_SUBMOUNT",
          "MS_NOREMOTELOCK",
          "MS_NOSEC",
          "MS_BORN",
          "MS_ACTIVE",
          "MS_NOUSER",
        ],
      },
      {
        name: "umountFlags",
        doc: "`umount2(2)` flags (strace's `umount_flags`).",
        headers: ["<sys/mount.h>"],
        names: ["MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW"],
      },
      {
        name: "swapFlags",
        doc: "`swapon(2)` flags above the priority bits (strace's `swap_flags`).",
        headers: ["<sys/swap.h>"],
        names: [
          "SWAP_FLAG_PREFER",
          "SWAP_FLAG_DISCARD",
          "SWAP_FLAG_DISCARD_ONCE=0x20000",
          "SWAP_FLAG_DISCARD_PAGES=0x40000",
        ],
      },
      {
        name: "bootFlags1",
        doc: "`reboot(2)`'s first magic number.",
        headers: ["<linux/reboot.h>"],
        names: ["LINUX_REBOOT_MAGIC1"],
      },
      {
        name: "bootFlags2",
        doc: "`reboot(2)`'s second magic number.",
        headers: ["<linux/reboot.h>"],
        names: [
          "LINUX_REBOOT_MAGIC2",
          "LINUX_REBOOT_MAGIC2A",
          "LINUX_REBOOT_MAGIC2B",
          "LINUX_REBOOT_MAGIC2C",
        ],
      },
      {
        name: "bootFlags3",
        doc: "`reboot(2)` commands.",
        headers: ["<linux/reboot.h>"],
        names: [
          "LINUX_REBOOT_CMD_RESTART",
          "LINUX_REBOOT_CMD_HALT",
          "LINUX_REBOOT_CMD_CAD_ON",
          "LINUX_REBOOT_CMD_CAD_OFF",
          "LINUX_REBOOT_CMD_POWER_OFF",
          "LINUX_REBOOT_CMD_RESTART2",
          "LINUX_REBOOT_CMD_SW_SUSPEND",
          "LINUX_REBOOT_CMD_KEXEC",
        ],
      },
      {
        name: "syslogActions",
        doc: "`syslog(2)` actions (kernel-internal `SYSLOG_ACTION_*`, documented in syslog(2)).",
        headers: [],
        names: [
          "SYSLOG_ACTION_CLOSE=0",
          "SYSLOG_ACTION_OPEN=1",
          "SYSLOG_ACTION_READ=2",
          "SYSLOG_ACTION_READ_ALL=3",
          "SYSLOG_ACTION_READ_CLEAR=4",
          "SYSLOG_ACTION_CLEAR=5",
          "SYSLOG_ACTION_CONSOLE_OFF=6",
          "SYSLOG_ACTION_CONSOLE_ON=7",
          "SYSLOG_ACTION_CONSOLE_LEVEL=8",
          "SYSLOG_ACTION_SIZE_UNREAD=9",
          "SYSLOG_ACTION_SIZE_BUFFER=10",
        ],
      },
      {
        name: "syslogConsoleLevels",
        doc: "Console log levels (kernel-internal `LOGLEVEL_*`).",
        headers: [],
        names: [
          "LOGLEVEL_EMERG=0",
          "LOGLEVEL_ALERT=1",
          "LOGLEVEL_CRIT=2",
          "LOGLEVEL_ERR=3",
          "LOGLEVEL_WARNING=4",
          "LOGLEVEL_NOTICE=5",
          "LOGLEVEL_INFO=6",
          "LOGLEVEL_DEBUG=7",
          "LOGLEVEL_DEBUG+1=8",
        ],
      },
      {
        name: "deleteModuleFlags",
        doc: "`delete_module(2)` flags.",
        headers: ["<fcntl.h>"],
        names: ["O_NONBLOCK", "O_TRUNC"],
      },
      {
        name: "moduleInitFlags",
        doc: "`finit_module(2)` flags.",
        headers: ["<linux/module.h>"],
        names: [
          "MODULE_INIT_IGNORE_MODVERSIONS",
          "MODULE_INIT_IGNORE_VERMAGIC",
          "MODULE_INIT_COMPRESSED_FILE=4",
        ],
      },
      {
        name: "setnsTypes",
        doc: "`setns(2)` namespace types.",
        headers: ["<linux/sched.h>"],
        names: [
          "CLONE_NEWTIME",
          "CLONE_NEWNS",
          "CLONE_NEWCGROUP",
          "CLONE_NEWUTS",
          "CLONE_NEWIPC",
          "CLONE_NEWUSER",
          "CLONE_NEWPID",
          "CLONE_NEWNET",
        ],
      },
      {
        name: "unshareFlags",
        doc: "`unshare(2)` flags.",
        headers: ["<linux/sched.h>"],
        names: [
          "CLONE_NEWTIME",
          "CLONE_VM",
          "CLONE_FS",
          "CLONE_FILES",
          "CLONE_SIGHAND",
          "CLONE_THREAD",
          "CLONE_NEWNS",
          "CLONE_SYSVSEM",
          "CLONE_NEWCGROUP",
          "CLONE_NEWUTS",
          "CLONE_NEWIPC",
          "CLONE_NEWUSER",
          "CLONE_NEWPID",
          "CLONE_NEWNET",
        ],
      },
      {
        name: "syncFileRangeFlags",
        doc: "`sync_file_range(2)` flags.",
        headers: ["<linux/fs.h>"],
        names: [
          "SYNC_FILE_RANGE_WAIT_BEFORE",
          "SYNC_FILE_RANGE_WRITE",
          "SYNC_FILE_RANGE_WAIT_AFTER",
        ],
      },
      {
        name: "ioprioWho",
        doc: "`ioprio_get(2)`/`ioprio_set(2)` `which` values.",
        headers: ["<linux/ioprio.h>"],
        names: ["IOPRIO_WHO_PROCESS", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER"],
      },
      {
        name: "ioprioClass",
        doc: "I/O scheduling classes.",
        headers: ["<linux/ioprio.h>"],
        names: ["IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"],
      },
      {
        name: "kcmpTypes",
        doc: "`kcmp(2)` types.",
        headers: ["<linux/kcmp.h>"],
        names: [
          "KCMP_FILE",
          "KCMP_VM",
          "KCMP_FILES",
          "KCMP_FS",
          "KCMP_SIGHAND",
          "KCMP_IO",
          "KCMP_SYSVSEM",
          "KCMP_EPOLL_TFD",
        ],
      },
      {
        name: "keySpec",
        doc: "Special key serial numbers (negative `int`s, stored as unsigned 32-bit values).",
        headers: ["<linux/keyctl.h>"],
        names: [
          "KEY_SPEC_THREAD_KEYRING",
          "KEY_SPEC_PROCESS_KEYRING",
          "KEY_SPEC_SESSION_KEYRING",
          "KEY_SPEC_USER_KEYRING",
          "KEY_SPEC_USER_SESSION_KEYRING",
          "KEY_SPEC_GROUP_KEYRING",
          "KEY_SPEC_REQKEY_AUTH_KEY",
          "KEY_SPEC_REQUESTOR_KEYRING",
        ],
      },
      {
        name: "fsconfigCmds",
        doc: "`fsconfig(2)` commands.",
        headers: ["<linux/mount.h>"],
        names: [
          "FSCONFIG_SET_FLAG",
          "FSCONFIG_SET_STRING",
          "FSCONFIG_SET_BINARY",
          "FSCONFIG_SET_PATH",
          "FSCONFIG_SET_PATH_EMPTY",
          "FSCONFIG_SET_FD",
          "FSCONFIG_CMD_CREATE",
          "FSCONFIG_CMD_RECONFIGURE",
        ],
      },
      {
        name: "fsmountFlags",
        doc: "`fsmount(2)` flags.",
        headers: ["<linux/mount.h>"],
        names: ["FSMOUNT_CLOEXEC"],
      },
      {
        name: "fsmountAttrFlags",
        doc: "`fsmount(2)` attribute flags.",
        headers: ["<linux/mount.h>"],
        names: [
          "MOUNT_ATTR_RDONLY",
          "MOUNT_ATTR_NOSUID",
          "MOUNT_ATTR_NODEV",
          "MOUNT_ATTR_NOEXEC",
          "MOUNT_ATTR_NOATIME",
          "MOUNT_ATTR_STRICTATIME",
          "MOUNT_ATTR_NODIRATIME",
        ],
      },
      {
        name: "mountAttrAttr",
        doc: "`struct mount_attr`'s `attr_set` and `attr_clr` flags.",
        headers: ["<linux/mount.h>"],
        names: [
          "MOUNT_ATTR_RDONLY",
          "MOUNT_ATTR_NOSUID",
          "MOUNT_ATTR_NODEV",
          "MOUNT_ATTR_NOEXEC",
          "MOUNT_ATTR_NOATIME",
          "MOUNT_ATTR_STRICTATIME",
          "MOUNT_ATTR_NODIRATIME",
          "MOUNT_ATTR_IDMAP",
          "MOUNT_ATTR_NOSYMFOLLOW",
        ],
      },
      {
        name: "mountAttrPropagation",
        doc: "`struct mount_attr`'s `propagation`.",
        headers: ["<linux/mount.h>"],
        names: ["MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE", "MS_SHARED"],
      },
      {
        name: "mountSetattrFlags",
        doc: "`mount_setattr(2)` flags.",
        headers: ["<fcntl.h>", "<linux/mount.h>"],
        names: ["AT_SYMLINK_NOFOLLOW", "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_RECURSIVE"],
      },
      {
        name: "moveMountFlags",
        doc: "`move_mount(2)` flags.",
        headers: ["<linux/mount.h>"],
        names: [
          "MOVE_MOUNT_F_SYMLINKS",
          "MOVE_MOUNT_F_AUTOMOUNTS",
          "MOVE_MOUNT_F_EMPTY_PATH",
          "MOVE_MOUNT_T_SYMLINKS",
          "MOVE_MOUNT_T_AUTOMOUNTS",
          "MOVE_MOUNT_T_EMPTY_PATH",
          "MOVE_MOUNT_SET_GROUP",
        ],
      },
      {
        name: "schedFlags",
        doc: "`struct sched_attr`'s `sched_flags`.",
        headers: ["<linux/sched.h>"],
        names: [
          "SCHED_FLAG_RESET_ON_FORK",
          "SCHED_FLAG_RECLAIM",
          "SCHED_FLAG_DL_OVERRUN",
          "SCHED_FLAG_KEEP_POLICY",
          "SCHED_FLAG_KEEP_PARAMS",
          "SCHED_FLAG_UTIL_CLAMP_MIN",
          "SCHED_FLAG_UTIL_CLAMP_MAX",
        ],
      },
      {
        name: "futexWaiterFlags",
        doc: "`struct futex_waitv`'s `flags` (`FUTEX_32` is `FUTEX2_SIZE_U32`).",
        headers: ["<linux/futex.h>"],
        names: ["FUTEX_32=2", "FUTEX_PRIVATE_FLAG"],
      },
      {
        name: "uringSetupFlags",
        doc: "`io_uring_setup(2)` flags (strace 6.1's `uring_setup_flags`).",
        headers: ["<linux/io_uring.h>"],
        names: [
          "IORING_SETUP_IOPOLL",
          "IORING_SETUP_SQPOLL",
          "IORING_SETUP_SQ_AFF",
          "IORING_SETUP_CQSIZE",
          "IORING_SETUP_CLAMP",
          "IORING_SETUP_ATTACH_WQ",
          "IORING_SETUP_R_DISABLED",
          "IORING_SETUP_SUBMIT_ALL",
          "IORING_SETUP_COOP_TASKRUN",
          "IORING_SETUP_TASKRUN_FLAG",
          "IORING_SETUP_SQE128",
          "IORING_SETUP_CQE32",
        ],
      },
      {
        name: "uringSetupFeatures",
        doc: "`struct io_uring_params`'s `features` (strace 6.1's `uring_setup_features`).",
        headers: ["<linux/io_uring.h>"],
        names: [
          "IORING_FEAT_SINGLE_MMAP",
          "IORING_FEAT_NODROP",
          "IORING_FEAT_SUBMIT_STABLE",
          "IORING_FEAT_RW_CUR_POS",
          "IORING_FEAT_CUR_PERSONALITY",
          "IORING_FEAT_FAST_POLL",
          "IORING_FEAT_POLL_32BITS",
          "IORING_FEAT_SQPOLL_NONFIXED",
          "IORING_FEAT_EXT_ARG",
          "IORING_FEAT_NATIVE_WORKERS",
          "IORING_FEAT_RSRC_TAGS",
          "IORING_FEAT_CQE_SKIP",
          "IORING_FEAT_LINKED_FILE",
        ],
      },
      {
        name: "uringEnterFlags",
        doc: "`io_uring_enter(2)` flags (strace 6.1's `uring_enter_flags`).",
        headers: ["<linux/io_uring.h>"],
        names: [
          "IORING_ENTER_GETEVENTS",
          "IORING_ENTER_SQ_WAKEUP",
          "IORING_ENTER_SQ_WAIT",
          "IORING_ENTER_EXT_ARG",
          "IORING_ENTER_REGISTERED_RING",
        ],
      },
      {
        name: "uringRegisterOpcodes",
        doc: "`io_uring_register(2)` opcodes (strace 6.1's `uring_register_opcodes`).",
        headers: ["<linux/io_uring.h>"],
        names: [
          "IORING_REGISTER_BUFFERS",
          "IORING_UNREGISTER_BUFFERS",
          "IORING_REGISTER_FILES",
          "IORING_UNREGISTER_FILES",
          "IORING_REGISTER_EVENTFD",
          "IORING_UNREGISTER_EVENTFD",
          "IORING_REGISTER_FILES_UPDATE",
          "IORING_REGISTER_EVENTFD_ASYNC",
          "IORING_REGISTER_PROBE",
          "IORING_REGISTER_PERSONALITY",
          "IORING_UNREGISTER_PERSONALITY",
          "IORING_REGISTER_RESTRICTIONS",
          "IORING_REGISTER_ENABLE_RINGS",
          "IORING_REGISTER_FILES2",
          "IORING_REGISTER_FILES_UPDATE2",
          "IORING_REGISTER_BUFFERS2",
          "IORING_REGISTER_BUFFERS_UPDATE",
          "IORING_REGISTER_IOWQ_AFF",
          "IORING_UNREGISTER_IOWQ_AFF",
          "IORING_REGISTER_IOWQ_MAX_WORKERS",
          "IORING_REGISTER_RING_FDS",
          "IORING_UNREGISTER_RING_FDS",
          "IORING_REGISTER_PBUF_RING",
          "IORING_UNREGISTER_PBUF_RING",
        ],
      },
      {
        name: "uringFilesUpdateFds",
        doc: "Special descriptors of `IORING_REGISTER_FILES_UPDATE`.",
        headers: ["<linux/io_uring.h>"],
        names: [
          "IORING_REGISTER_FILES_SKIP",
        ],
      },
      {
        name: "kexecFileLoadFlags",
        doc: "`kexec_file_load(2)` flags.",
        headers: ["<linux/kexec.h>"],
        names: [
          "KEXEC_FILE_UNLOAD",
          "KEXEC_FILE_ON_CRASH",
          "KEXEC_FILE_NO_INITRAMFS",
        ],
      },
      {
        name: "kexecLoadFlags",
        doc: "`kexec_load(2)` flags outside the architecture bits.",
        headers: ["<linux/kexec.h>"],
        names: [
          "KEXEC_ON_CRASH",
          "KEXEC_PRESERVE_CONTEXT",
        ],
      },
      {
        name: "kexecArchValues",
        doc: "`kexec_load(2)` architecture values (the flags' high 16 bits).",
        headers: ["<linux/kexec.h>"],
        names: [
          "KEXEC_ARCH_DEFAULT",
          "KEXEC_ARCH_386",
          "KEXEC_ARCH_68K",
          "KEXEC_ARCH_PARISC",
          "KEXEC_ARCH_X86_64",
          "KEXEC_ARCH_PPC",
          "KEXEC_ARCH_PPC64",
          "KEXEC_ARCH_IA_64",
          "KEXEC_ARCH_ARM",
          "KEXEC_ARCH_S390",
          "KEXEC_ARCH_SH",
          "KEXEC_ARCH_MIPS_LE",
          "KEXEC_ARCH_MIPS",
          "KEXEC_ARCH_AARCH64",
          "KEXEC_ARCH_RISCV",
          "KEXEC_ARCH_LOONGARCH",
        ],
      },
      {
        name: "movePagesFlags",
        doc: "`move_pages(2)` flags.",
        headers: ["<linux/mempolicy.h>"],
        names: [
          "MPOL_MF_MOVE",
          "MPOL_MF_MOVE_ALL",
        ],
      },
      {
        name: "aioCmds",
        doc: "`struct iocb`'s `aio_lio_opcode` (`IOCB_CMD_PREADX` is gone from the headers).",
        headers: ["<linux/aio_abi.h>"],
        names: [
          "IOCB_CMD_PREAD",
          "IOCB_CMD_PWRITE",
          "IOCB_CMD_FSYNC",
          "IOCB_CMD_FDSYNC",
          "IOCB_CMD_PREADX=4",
          "IOCB_CMD_POLL",
          "IOCB_CMD_NOOP",
          "IOCB_CMD_PREADV",
          "IOCB_CMD_PWRITEV",
        ],
      },
      {
        name: "aioIocbFlags",
        doc: "`struct iocb`'s `aio_flags`.",
        headers: ["<linux/aio_abi.h>"],
        names: [
          "IOCB_FLAG_RESFD",
          "IOCB_FLAG_IOPRIO",
        ],
      },
      {
        name: "keyctlCommands",
        doc: "`keyctl(2)` commands.",
        headers: ["<linux/keyctl.h>"],
        names: [
          "KEYCTL_GET_KEYRING_ID",
          "KEYCTL_JOIN_SESSION_KEYRING",
          "KEYCTL_UPDATE",
          "KEYCTL_REVOKE",
          "KEYCTL_CHOWN",
          "KEYCTL_SETPERM",
          "KEYCTL_DESCRIBE",
          "KEYCTL_CLEAR",
          "KEYCTL_LINK",
          "KEYCTL_UNLINK",
          "KEYCTL_SEARCH",
          "KEYCTL_READ",
          "KEYCTL_INSTANTIATE",
          "KEYCTL_NEGATE",
          "KEYCTL_SET_REQKEY_KEYRING",
          "KEYCTL_SET_TIMEOUT",
          "KEYCTL_ASSUME_AUTHORITY",
          "KEYCTL_GET_SECURITY",
          "KEYCTL_SESSION_TO_PARENT",
          "KEYCTL_REJECT",
          "KEYCTL_INSTANTIATE_IOV",
          "KEYCTL_INVALIDATE",
          "KEYCTL_GET_PERSISTENT",
          "KEYCTL_DH_COMPUTE",
          "KEYCTL_PKEY_QUERY",
          "KEYCTL_PKEY_ENCRYPT",
          "KEYCTL_PKEY_DECRYPT",
          "KEYCTL_PKEY_SIGN",
          "KEYCTL_PKEY_VERIFY",
          "KEYCTL_RESTRICT_KEYRING",
          "KEYCTL_MOVE",
          "KEYCTL_CAPABILITIES",
          "KEYCTL_WATCH_KEY",
        ],
      },
      {
        name: "keyPerms",
        doc: "Key permissions (kernel-internal `include/linux/key.h`).",
        headers: [],
        names: [
          "KEY_POS_VIEW=0x01000000",
          "KEY_POS_READ=0x02000000",
          "KEY_POS_WRITE=0x04000000",
          "KEY_POS_SEARCH=0x08000000",
          "KEY_POS_LINK=0x10000000",
          "KEY_POS_SETATTR=0x20000000",
          "KEY_POS_ALL=0x3f000000",
          "KEY_USR_VIEW=0x00010000",
          "KEY_USR_READ=0x00020000",
          "KEY_USR_WRITE=0x00040000",
          "KEY_USR_SEARCH=0x00080000",
          "KEY_USR_LINK=0x00100000",
          "KEY_USR_SETATTR=0x00200000",
          "KEY_USR_ALL=0x003f0000",
          "KEY_GRP_VIEW=0x00000100",
          "KEY_GRP_READ=0x00000200",
          "KEY_GRP_WRITE=0x00000400",
          "KEY_GRP_SEARCH=0x00000800",
          "KEY_GRP_LINK=0x00001000",
          "KEY_GRP_SETATTR=0x00002000",
          "KEY_GRP_ALL=0x00003f00",
          "KEY_OTH_VIEW=0x00000001",
          "KEY_OTH_READ=0x00000002",
          "KEY_OTH_WRITE=0x00000004",
          "KEY_OTH_SEARCH=0x00000008",
          "KEY_OTH_LINK=0x00000010",
          "KEY_OTH_SETATTR=0x00000020",
          "KEY_OTH_ALL=0x0000003f",
        ],
      },
      {
        name: "keyReqkeys",
        doc: "`KEYCTL_SET_REQKEY_KEYRING` values.",
        headers: ["<linux/keyctl.h>"],
        names: [
          "KEY_REQKEY_DEFL_NO_CHANGE",
          "KEY_REQKEY_DEFL_DEFAULT",
          "KEY_REQKEY_DEFL_THREAD_KEYRING",
          "KEY_REQKEY_DEFL_PROCESS_KEYRING",
          "KEY_REQKEY_DEFL_SESSION_KEYRING",
          "KEY_REQKEY_DEFL_USER_KEYRING",
          "KEY_REQKEY_DEFL_USER_SESSION_KEYRING",
          "KEY_REQKEY_DEFL_GROUP_KEYRING",
          "KEY_REQKEY_DEFL_REQUESTOR_KEYRING",
        ],
      },
      {
        name: "keyctlMoveFlags",
        doc: "`KEYCTL_MOVE` flags.",
        headers: ["<linux/keyctl.h>"],
        names: [
          "KEYCTL_MOVE_EXCL",
        ],
      },
      {
        name: "quotaCmds",
        doc: "`quotactl(2)` commands (the old V1/V2 ones are gone from the headers).",
        headers: ["<linux/quota.h>", "<linux/dqblk_xfs.h>"],
        names: [
          "Q_V1_QUOTAON=(0x1<<8)",
          "Q_V1_QUOTAOFF=(0x2<<8)",
          "Q_V1_GETQUOTA=(0x3<<8)",
          "Q_V1_SETQUOTA=(0x4<<8)",
          "Q_V1_SETUSE=(0x5<<8)",
          "Q_V1_SYNC=(0x6<<8)",
          "Q_SETQLIM=(0x7<<8)",
          "Q_V1_GETSTATS=(0x8<<8)",
          "Q_V1_RSQUASH=(0x10<<8)",
          "Q_V2_GETQUOTA=(0xD<<8)",
          "Q_V2_SETQUOTA=(0xE<<8)",
          "Q_V2_SETUSE=(0xF<<8)",
          "Q_V2_GETINFO=(0x9<<8)",
          "Q_V2_SETINFO=(0xA<<8)",
          "Q_V2_SETGRACE=(0xB<<8)",
          "Q_V2_SETFLAGS=(0xC<<8)",
          "Q_V2_GETSTATS=(0x11<<8)",
          "Q_SYNC",
          "Q_QUOTAON",
          "Q_QUOTAOFF",
          "Q_GETFMT",
          "Q_GETINFO",
          "Q_SETINFO",
          "Q_GETQUOTA",
          "Q_SETQUOTA",
          "Q_GETNEXTQUOTA",
          "Q_XQUOTAON",
          "Q_XQUOTAOFF",
          "Q_XGETQUOTA",
          "Q_XSETQLIM",
          "Q_XGETQSTAT",
          "Q_XQUOTARM",
          "Q_XQUOTASYNC",
          "Q_XGETQSTATV",
          "Q_XGETNEXTQUOTA",
        ],
      },
      {
        name: "quotaTypes",
        doc: "Quota types.",
        headers: ["<linux/quota.h>"],
        names: [
          "USRQUOTA",
          "GRPQUOTA",
          "PRJQUOTA",
        ],
      },
      {
        name: "quotaFormats",
        doc: "Quota formats.",
        headers: ["<linux/quota.h>"],
        names: [
          "QFMT_VFS_OLD",
          "QFMT_VFS_V0",
          "QFMT_OCFS2",
          "QFMT_VFS_V1",
        ],
      },
      {
        name: "ifDqblkValid",
        doc: "`struct if_dqblk`'s `dqb_valid`.",
        headers: ["<linux/quota.h>"],
        names: [
          "QIF_BLIMITS",
          "QIF_SPACE",
          "QIF_ILIMITS",
          "QIF_INODES",
          "QIF_BTIME",
          "QIF_ITIME",
        ],
      },
      {
        name: "ifDqinfoFlags",
        doc: "`struct if_dqinfo`'s `dqi_flags`.",
        headers: ["<linux/quota.h>"],
        names: [
          "DQF_ROOT_SQUASH",
          "DQF_SYS_FILE",
        ],
      },
      {
        name: "ifDqinfoValid",
        doc: "`struct if_dqinfo`'s `dqi_valid`.",
        headers: ["<linux/quota.h>"],
        names: [
          "IIF_BGRACE",
          "IIF_IGRACE",
          "IIF_FLAGS",
        ],
      },
      {
        name: "xfsDqblkFlags",
        doc: "XFS quota types (`fs_disk_quota`'s `d_flags`, `Q_XQUOTARM`).",
        headers: ["<linux/dqblk_xfs.h>"],
        names: [
          "FS_USER_QUOTA",
          "FS_PROJ_QUOTA",
          "FS_GROUP_QUOTA",
        ],
      },
      {
        name: "xfsQuotaFlags",
        doc: "XFS quota state flags.",
        headers: ["<linux/dqblk_xfs.h>"],
        names: [
          "FS_QUOTA_UDQ_ACCT",
          "FS_QUOTA_UDQ_ENFD",
          "FS_QUOTA_GDQ_ACCT",
          "FS_QUOTA_GDQ_ENFD",
          "FS_QUOTA_PDQ_ACCT",
          "FS_QUOTA_PDQ_ENFD",
        ],
      },
      {
        name: "landlockCreateRulesetFlags",
        doc: "`landlock_create_ruleset(2)` flags.",
        headers: ["<linux/landlock.h>"],
        names: ["LANDLOCK_CREATE_RULESET_VERSION"],
      },
      {
        name: "landlockRuleTypes",
        doc: "`landlock_add_rule(2)` rule types.",
        headers: ["<linux/landlock.h>"],
        names: ["LANDLOCK_RULE_PATH_BENEATH"],
      },
      {
        name: "landlockAccessFs",
        doc: "Landlock filesystem access rights (strace 6.1's `landlock_ruleset_access_fs`).",
        headers: ["<linux/landlock.h>"],
        names: [
          "LANDLOCK_ACCESS_FS_EXECUTE",
          "LANDLOCK_ACCESS_FS_WRITE_FILE",
          "LANDLOCK_ACCESS_FS_READ_FILE",
          "LANDLOCK_ACCESS_FS_READ_DIR",
          "LANDLOCK_ACCESS_FS_REMOVE_DIR",
          "LANDLOCK_ACCESS_FS_REMOVE_FILE",
          "LANDLOCK_ACCESS_FS_MAKE_CHAR",
          "LANDLOCK_ACCESS_FS_MAKE_DIR",
          "LANDLOCK_ACCESS_FS_MAKE_REG",
          "LANDLOCK_ACCESS_FS_MAKE_SOCK",
          "LANDLOCK_ACCESS_FS_MAKE_FIFO",
          "LANDLOCK_ACCESS_FS_MAKE_BLOCK",
          "LANDLOCK_ACCESS_FS_MAKE_SYM",
          "LANDLOCK_ACCESS_FS_REFER",
        ],
      },
    ],
  },
};

/** Compiles and runs a C program printing each name's value; returns the values in order. */
async function values(t: TableSpec, tmp: string): Promise<bigint[]> {
  const lines = [
    "#define _GNU_SOURCE",
    "#include <stdio.h>",
    ...t.headers.map((h) => `#include ${h}`),
  ];
  lines.push("int main(void) {");
  for (const n of t.names) {
    const expr = n.includes("=") ? n.slice(n.indexOf("=") + 1) : n;
    lines.push(`  printf("%lld\\n", (long long)(${expr}));`);
  }
  lines.push("  return 0;", "}");
  const src = `${tmp}/${t.name}.c`, bin = `${tmp}/${t.name}`;
  await Deno.writeTextFile(src, lines.join("\n") + "\n");
  const cc = await new Deno.Command("gcc", { args: ["-o", bin, src] }).output();
  if (!cc.success) throw new Error(`${t.name}: ${new TextDecoder().decode(cc.stderr)}`);
  const out = await new Deno.Command(bin).output();
  return new TextDecoder().decode(out.stdout).trim().split("\n").map((s) => BigInt(s));
}

/** The TS literal of a value: hex for flag-like values, decimal for small ones. */
function lit(v: bigint): string {
  if (v < 0n) return v.toString();
  return v >= 16n ? `0x${v.toString(16)}` : v.toString();
}

async function main(): Promise<void> {
  const root = new URL("../", import.meta.url).pathname;
  const tmp = await Deno.makeTempDir({ prefix: "sctrace-xlat-" });
  try {
    for (const [file, spec] of Object.entries(FILES)) {
      let out =
        `/**\n * ${spec.doc}.\n *\n * Generated by \`tools/gen_xlat.ts\` from the kernel headers: do not edit by hand.\n` +
        ` * @module\n */\nimport { type Xlat, xlat } from "../xlat.ts";\n`;
      for (const t of spec.tables) {
        const vals = await values(t, tmp);
        const rows = t.names.map((n, i) => {
          const name = n.includes("=") ? n.slice(0, n.indexOf("=")) : n;
          return `  [${JSON.stringify(name)}, ${lit(vals[i])}],`;
        });
        out += `\n/** ${t.doc} */\nexport const ${t.name}: Xlat = xlat([\n${
          rows.join("\n")
        }\n]);\n`;
      }
      await Deno.writeTextFile(root + file, out);
      console.log(`wrote ${file}`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) await main();
