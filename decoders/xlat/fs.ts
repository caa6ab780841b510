/**
 * Constant tables of the fs family (files, descriptors, stat, fcntl, ioctl), as data. Names,
 * values and order follow strace 6.1's `src/xlat/*.in` files on x86_64; `IOCTLS` is strace's
 * sorted x86_64 `ioctlent0.h` table.
 * @module
 */
import { type Xlat, xlat } from "../xlat.ts";

/** strace's `xlat/open_access_modes.in`. */
export const OPEN_ACCESS_MODES: Xlat = xlat([
  ["O_RDONLY", 0],
  ["O_WRONLY", 1],
  ["O_RDWR", 2],
  ["O_ACCMODE", 3],
]);

/** strace's `xlat/open_mode_flags.in`. */
export const OPEN_MODE_FLAGS: Xlat = xlat([
  ["O_CREAT", 0x40],
  ["O_EXCL", 0x80],
  ["O_NOCTTY", 0x100],
  ["O_TRUNC", 0x200],
  ["O_APPEND", 0x400],
  ["O_NONBLOCK", 0x800],
  ["O_SYNC", 0x101000],
  ["__O_SYNC", 0x100000],
  ["O_DSYNC", 0x1000],
  ["O_DIRECT", 0x4000],
  ["O_LARGEFILE", 0x8000],
  ["O_NOFOLLOW", 0x20000],
  ["O_NOATIME", 0x40000],
  ["O_CLOEXEC", 0x80000],
  ["O_PATH", 0x200000],
  ["O_TMPFILE", 0x410000],
  ["__O_TMPFILE", 0x400000],
  ["O_DIRECTORY", 0x10000],
  ["FASYNC", 0x2000],
]);

/** strace's `xlat/open_resolve_flags.in`. */
export const OPEN_RESOLVE_FLAGS: Xlat = xlat([
  ["RESOLVE_NO_XDEV", 1],
  ["RESOLVE_NO_MAGICLINKS", 2],
  ["RESOLVE_NO_SYMLINKS", 4],
  ["RESOLVE_BENEATH", 8],
  ["RESOLVE_IN_ROOT", 0x10],
  ["RESOLVE_CACHED", 0x20],
]);

/** strace's `xlat/fcntlcmds.in`. */
export const FCNTLCMDS: Xlat = xlat([
  ["F_DUPFD", 0],
  ["F_GETFD", 1],
  ["F_SETFD", 2],
  ["F_GETFL", 3],
  ["F_SETFL", 4],
  ["F_GETLK", 5],
  ["F_SETLK", 6],
  ["F_SETLKW", 7],
  ["F_SETOWN", 8],
  ["F_GETOWN", 9],
  ["F_SETSIG", 0xa],
  ["F_GETSIG", 0xb],
  ["F_GETLK64", 0xc],
  ["F_SETLK64", 0xd],
  ["F_SETLKW64", 0xe],
  ["F_SETOWN_EX", 0xf],
  ["F_GETOWN_EX", 0x10],
  ["F_GETOWNER_UIDS", 0x11],
  ["F_OFD_GETLK", 0x24],
  ["F_OFD_SETLK", 0x25],
  ["F_OFD_SETLKW", 0x26],
  ["F_SETLEASE", 0x400],
  ["F_GETLEASE", 0x401],
  ["F_NOTIFY", 0x402],
  ["F_CANCELLK", 0x405],
  ["F_DUPFD_CLOEXEC", 0x406],
  ["F_SETPIPE_SZ", 0x407],
  ["F_GETPIPE_SZ", 0x408],
  ["F_ADD_SEALS", 0x409],
  ["F_GET_SEALS", 0x40a],
]);

/** strace's `xlat/fdflags.in`. */
export const FDFLAGS: Xlat = xlat([
  ["FD_CLOEXEC", 1],
]);

/** strace's `xlat/lockfcmds.in`. */
export const LOCKFCMDS: Xlat = xlat([
  ["F_RDLCK", 0],
  ["F_WRLCK", 1],
  ["F_UNLCK", 2],
  ["F_EXLCK", 4],
  ["F_SHLCK", 8],
]);

/** strace's `xlat/notifyflags.in`. */
export const NOTIFYFLAGS: Xlat = xlat([
  ["DN_ACCESS", 1],
  ["DN_MODIFY", 2],
  ["DN_CREATE", 4],
  ["DN_DELETE", 8],
  ["DN_RENAME", 0x10],
  ["DN_ATTRIB", 0x20],
  ["DN_MULTISHOT", 0x80000000],
]);

/** strace's `xlat/f_seals.in`. */
export const F_SEALS: Xlat = xlat([
  ["F_SEAL_SEAL", 1],
  ["F_SEAL_SHRINK", 2],
  ["F_SEAL_GROW", 4],
  ["F_SEAL_WRITE", 8],
  ["F_SEAL_FUTURE_WRITE", 0x10],
]);

/** strace's `xlat/f_owner_types.in`. */
export const F_OWNER_TYPES: Xlat = xlat([
  ["F_OWNER_TID", 0],
  ["F_OWNER_PID", 1],
  ["F_OWNER_PGRP", 2],
]);

/** strace's `xlat/at_flags.in`. */
export const AT_FLAGS: Xlat = xlat([
  ["AT_SYMLINK_NOFOLLOW", 0x100],
  ["AT_REMOVEDIR", 0x200],
  ["AT_SYMLINK_FOLLOW", 0x400],
  ["AT_NO_AUTOMOUNT", 0x800],
  ["AT_EMPTY_PATH", 0x1000],
  ["AT_RECURSIVE", 0x8000],
]);

/** strace's `xlat/faccessat_flags.in`. */
export const FACCESSAT_FLAGS: Xlat = xlat([
  ["AT_SYMLINK_NOFOLLOW", 0x100],
  ["AT_EACCESS", 0x200],
  ["AT_EMPTY_PATH", 0x1000],
]);

/** strace's `xlat/close_range_flags.in`. */
export const CLOSE_RANGE_FLAGS: Xlat = xlat([
  ["CLOSE_RANGE_UNSHARE", 2],
  ["CLOSE_RANGE_CLOEXEC", 4],
]);

/** strace's `xlat/name_to_handle_at_flags.in`. */
export const NAME_TO_HANDLE_AT_FLAGS: Xlat = xlat([
  ["AT_SYMLINK_FOLLOW", 0x400],
  ["AT_EMPTY_PATH", 0x1000],
]);

/** strace's `xlat/inotify_init_flags.in`. */
export const INOTIFY_INIT_FLAGS: Xlat = xlat([
  ["IN_NONBLOCK", 0x800],
  ["IN_CLOEXEC", 0x80000],
]);

/** strace's `xlat/rwf_flags.in`. */
export const RWF_FLAGS: Xlat = xlat([
  ["RWF_HIPRI", 1],
  ["RWF_DSYNC", 2],
  ["RWF_SYNC", 4],
  ["RWF_NOWAIT", 8],
  ["RWF_APPEND", 0x10],
]);

/** strace's `xlat/falloc_flags.in`. */
export const FALLOC_FLAGS: Xlat = xlat([
  ["FALLOC_FL_KEEP_SIZE", 1],
  ["FALLOC_FL_PUNCH_HOLE", 2],
  ["FALLOC_FL_NO_HIDE_STALE", 4],
  ["FALLOC_FL_COLLAPSE_RANGE", 8],
  ["FALLOC_FL_ZERO_RANGE", 0x10],
  ["FALLOC_FL_INSERT_RANGE", 0x20],
  ["FALLOC_FL_UNSHARE_RANGE", 0x40],
]);

/** strace's `xlat/memfd_create_flags.in`. */
export const MEMFD_CREATE_FLAGS: Xlat = xlat([
  ["MFD_CLOEXEC", 1],
  ["MFD_ALLOW_SEALING", 2],
  ["MFD_HUGETLB", 4],
]);

/** strace's `xlat/rename_flags.in`. */
export const RENAME_FLAGS: Xlat = xlat([
  ["RENAME_NOREPLACE", 1],
  ["RENAME_EXCHANGE", 2],
  ["RENAME_WHITEOUT", 4],
]);

/** strace's `xlat/statx_masks.in`. */
export const STATX_MASKS: Xlat = xlat([
  ["STATX_ALL", 0xfff],
  ["STATX_BASIC_STATS", 0x7ff],
  ["STATX_TYPE", 1],
  ["STATX_MODE", 2],
  ["STATX_NLINK", 4],
  ["STATX_UID", 8],
  ["STATX_GID", 0x10],
  ["STATX_ATIME", 0x20],
  ["STATX_MTIME", 0x40],
  ["STATX_CTIME", 0x80],
  ["STATX_INO", 0x100],
  ["STATX_SIZE", 0x200],
  ["STATX_BLOCKS", 0x400],
  ["STATX_BTIME", 0x800],
  ["STATX_MNT_ID", 0x1000],
  ["STATX_DIOALIGN", 0x2000],
]);

/** strace's `xlat/statx_attrs.in`. */
export const STATX_ATTRS: Xlat = xlat([
  ["STATX_ATTR_COMPRESSED", 4],
  ["STATX_ATTR_IMMUTABLE", 0x10],
  ["STATX_ATTR_APPEND", 0x20],
  ["STATX_ATTR_NODUMP", 0x40],
  ["STATX_ATTR_ENCRYPTED", 0x800],
  ["STATX_ATTR_AUTOMOUNT", 0x1000],
  ["STATX_ATTR_MOUNT_ROOT", 0x2000],
  ["STATX_ATTR_VERITY", 0x100000],
  ["STATX_ATTR_DAX", 0x200000],
]);

/** strace's `xlat/at_statx_sync_types.in`. */
export const AT_STATX_SYNC_TYPES: Xlat = xlat([
  ["AT_STATX_SYNC_AS_STAT", 0],
  ["AT_STATX_FORCE_SYNC", 0x2000],
  ["AT_STATX_DONT_SYNC", 0x4000],
  ["AT_STATX_SYNC_TYPE", 0x6000],
]);

/** strace's `xlat/inotify_flags.in`. */
export const INOTIFY_FLAGS: Xlat = xlat([
  ["IN_ACCESS", 1],
  ["IN_MODIFY", 2],
  ["IN_ATTRIB", 4],
  ["IN_CLOSE_WRITE", 8],
  ["IN_CLOSE_NOWRITE", 0x10],
  ["IN_OPEN", 0x20],
  ["IN_MOVED_FROM", 0x40],
  ["IN_MOVED_TO", 0x80],
  ["IN_CREATE", 0x100],
  ["IN_DELETE", 0x200],
  ["IN_DELETE_SELF", 0x400],
  ["IN_MOVE_SELF", 0x800],
  ["IN_UNMOUNT", 0x2000],
  ["IN_Q_OVERFLOW", 0x4000],
  ["IN_IGNORED", 0x8000],
  ["IN_ONLYDIR", 0x1000000],
  ["IN_DONT_FOLLOW", 0x2000000],
  ["IN_EXCL_UNLINK", 0x4000000],
  ["IN_MASK_CREATE", 0x10000000],
  ["IN_MASK_ADD", 0x20000000],
  ["IN_ISDIR", 0x40000000],
  ["IN_ONESHOT", 0x80000000],
]);

/** strace's `xlat/fan_classes.in`. */
export const FAN_CLASSES: Xlat = xlat([
  ["FAN_CLASS_NOTIF", 0],
  ["FAN_CLASS_CONTENT", 4],
  ["FAN_CLASS_PRE_CONTENT", 8],
]);

/** strace's `xlat/fan_init_flags.in`. */
export const FAN_INIT_FLAGS: Xlat = xlat([
  ["FAN_CLOEXEC", 1],
  ["FAN_NONBLOCK", 2],
  ["FAN_UNLIMITED_QUEUE", 0x10],
  ["FAN_UNLIMITED_MARKS", 0x20],
  ["FAN_ENABLE_AUDIT", 0x40],
  ["FAN_REPORT_PIDFD", 0x80],
  ["FAN_REPORT_TID", 0x100],
  ["FAN_REPORT_FID", 0x200],
  ["FAN_REPORT_DIR_FID", 0x400],
  ["FAN_REPORT_NAME", 0x800],
  ["FAN_REPORT_TARGET_FID", 0x1000],
]);

/** strace's `xlat/fan_mark_flags.in`. */
export const FAN_MARK_FLAGS: Xlat = xlat([
  ["FAN_MARK_ADD", 1],
  ["FAN_MARK_REMOVE", 2],
  ["FAN_MARK_DONT_FOLLOW", 4],
  ["FAN_MARK_ONLYDIR", 8],
  ["FAN_MARK_MOUNT", 0x10],
  ["FAN_MARK_IGNORED_MASK", 0x20],
  ["FAN_MARK_IGNORED_SURV_MODIFY", 0x40],
  ["FAN_MARK_FLUSH", 0x80],
  ["FAN_MARK_FILESYSTEM", 0x100],
  ["FAN_MARK_EVICTABLE", 0x200],
  ["FAN_MARK_IGNORE", 0x400],
]);

/** strace's `xlat/fan_event_flags.in`. */
export const FAN_EVENT_FLAGS: Xlat = xlat([
  ["FAN_ACCESS", 1],
  ["FAN_MODIFY", 2],
  ["FAN_ATTRIB", 4],
  ["FAN_CLOSE_WRITE", 8],
  ["FAN_CLOSE_NOWRITE", 0x10],
  ["FAN_OPEN", 0x20],
  ["FAN_MOVED_FROM", 0x40],
  ["FAN_MOVED_TO", 0x80],
  ["FAN_CREATE", 0x100],
  ["FAN_DELETE", 0x200],
  ["FAN_DELETE_SELF", 0x400],
  ["FAN_MOVE_SELF", 0x800],
  ["FAN_OPEN_EXEC", 0x1000],
  ["FAN_Q_OVERFLOW", 0x4000],
  ["FAN_FS_ERROR", 0x8000],
  ["FAN_OPEN_PERM", 0x10000],
  ["FAN_ACCESS_PERM", 0x20000],
  ["FAN_OPEN_EXEC_PERM", 0x40000],
  ["FAN_DIR_MODIFY", 0x80000],
  ["FAN_ONDIR", 0x40000000],
  ["FAN_EVENT_ON_CHILD", 0x8000000],
  ["FAN_RENAME", 0x10000000],
]);

/** strace's `xlat/fsmagic.in`. */
export const FSMAGIC: Xlat = xlat([
  ["QNX4_SUPER_MAGIC", 0x2f],
  ["Z3FOLD_MAGIC", 0x33],
  ["AUTOFS_SUPER_MAGIC", 0x187],
  ["DEVFS_SUPER_MAGIC", 0x1373],
  ["EXT_SUPER_MAGIC", 0x137d],
  ["MINIX_SUPER_MAGIC", 0x137f],
  ["MINIX_SUPER_MAGIC2", 0x138f],
  ["DEVPTS_SUPER_MAGIC", 0x1cd1],
  ["MINIX2_SUPER_MAGIC", 0x2468],
  ["MINIX2_SUPER_MAGIC2", 0x2478],
  ["NILFS_SUPER_MAGIC", 0x3434],
  ["HFS_SUPER_MAGIC", 0x4244],
  ["HFSPLUS_SUPER_MAGIC", 0x482b],
  ["MSDOS_SUPER_MAGIC", 0x4d44],
  ["MINIX3_SUPER_MAGIC", 0x4d5a],
  ["SMB_SUPER_MAGIC", 0x517b],
  ["NCP_SUPER_MAGIC", 0x564c],
  ["EXOFS_SUPER_MAGIC", 0x5df5],
  ["NFS_SUPER_MAGIC", 0x6969],
  ["ROMFS_MAGIC", 0x7275],
  ["JFFS2_SUPER_MAGIC", 0x72b6],
  ["ISOFS_SUPER_MAGIC", 0x9660],
  ["PROC_SUPER_MAGIC", 0x9fa0],
  ["OPENPROM_SUPER_MAGIC", 0x9fa1],
  ["USBDEVICE_SUPER_MAGIC", 0x9fa2],
  ["ADFS_SUPER_MAGIC", 0xadf5],
  ["AFFS_SUPER_MAGIC", 0xadff],
  ["EXT2_OLD_SUPER_MAGIC", 0xef51],
  ["EXT2_SUPER_MAGIC", 0xef53],
  ["ECRYPTFS_SUPER_MAGIC", 0xf15f],
  ["UFS_MAGIC", 0x11954],
  ["CGROUP_SUPER_MAGIC", 0x27e0eb],
  ["EFS_SUPER_MAGIC", 0x414a53],
  ["HOSTFS_SUPER_MAGIC", 0xc0ffee],
  ["CEPH_SUPER_MAGIC", 0xc36400],
  ["TMPFS_MAGIC", 0x1021994],
  ["V9FS_MAGIC", 0x1021997],
  ["GFS2_MAGIC", 0x1161970],
  ["XIAFS_SUPER_MAGIC", 0x12fd16d],
  ["XENIX_SUPER_MAGIC", 0x12ff7b4],
  ["SYSV4_SUPER_MAGIC", 0x12ff7b5],
  ["SYSV2_SUPER_MAGIC", 0x12ff7b6],
  ["COH_SUPER_MAGIC", 0x12ff7b7],
  ["SHMFS_SUPER_MAGIC", 0x2011994],
  ["ANON_INODE_FS_MAGIC", 0x9041934],
  ["FUTEXFS_SUPER_MAGIC", 0xbad1dea],
  ["MTD_INODE_FS_MAGIC", 0x11307854],
  ["BALLOON_KVM_MAGIC", 0x13661366],
  ["UDF_SUPER_MAGIC", 0x15013346],
  ["BFS_MAGIC", 0x1badface],
  ["EXFAT_SUPER_MAGIC", 0x2011bab0],
  ["UBIFS_SUPER_MAGIC", 0x24051905],
  ["CRAMFS_MAGIC", 0x28cd3d45],
  ["ZFS_SUPER_MAGIC", 0x2fc12fc1],
  ["JFS_SUPER_MAGIC", 0x3153464a],
  ["BEFS_SUPER_MAGIC", 0x42465331],
  ["BINFMTFS_MAGIC", 0x42494e4d],
  ["SMACK_MAGIC", 0x43415d53],
  ["DMA_BUF_MAGIC", 0x444d4142],
  ["CRAMFS_MAGIC_WEND", 0x453dcd28],
  ["DEVMEM_MAGIC", 0x454d444d],
  ["GPFS_SUPER_MAGIC", 0x47504653],
  ["PIPEFS_MAGIC", 0x50495045],
  ["REISERFS_SUPER_MAGIC", 0x52654973],
  ["SECRETMEM_MAGIC", 0x5345434d],
  ["AFS_SUPER_MAGIC", 0x5346414f],
  ["NTFS_SB_MAGIC", 0x5346544e],
  ["SOCKFS_MAGIC", 0x534f434b],
  ["UFS_CIGAM", 0x54190100],
  ["VZFS_SUPER_MAGIC", 0x565a4653],
  ["STACK_END_MAGIC", 0x57ac6e9d],
  ["ZSMALLOC_MAGIC", 0x58295829],
  ["XFS_SUPER_MAGIC", 0x58465342],
  ["AAFS_MAGIC", 0x5a3c69f0],
  ["ZONEFS_MAGIC", 0x5a4f4653],
  ["PSTOREFS_MAGIC", 0x6165676c],
  ["AUFS_SUPER_MAGIC", 0x61756673],
  ["BDEVFS_MAGIC", 0x62646576],
  ["CONFIGFS_MAGIC", 0x62656570],
  ["SYSFS_MAGIC", 0x62656572],
  ["CGROUP2_SUPER_MAGIC", 0x63677270],
  ["DEBUGFS_MAGIC", 0x64626720],
  ["DAXFS_MAGIC", 0x64646178],
  ["FUSE_CTL_SUPER_MAGIC", 0x65735543],
  ["FUSE_SUPER_MAGIC", 0x65735546],
  ["QNX6_SUPER_MAGIC", 0x68191122],
  ["AFS_FS_MAGIC", 0x6b414653],
  ["BINDERFS_SUPER_MAGIC", 0x6c6f6f70],
  ["NSFS_MAGIC", 0x6e736673],
  ["SECURITYFS_MAGIC", 0x73636673],
  ["SQUASHFS_MAGIC", 0x73717368],
  ["BTRFS_TEST_MAGIC", 0x73727279],
  ["CODA_SUPER_MAGIC", 0x73757245],
  ["OCFS2_SUPER_MAGIC", 0x7461636f],
  ["TRACEFS_MAGIC", 0x74726163],
  ["OVERLAYFS_SUPER_MAGIC", 0x794c7630],
  ["RAMFS_MAGIC", 0x858458f6],
  ["BTRFS_SUPER_MAGIC", 0x9123683e],
  ["HUGETLBFS_MAGIC", 0x958458f6],
  ["VXFS_SUPER_MAGIC", 0xa501fcf5],
  ["XENFS_SUPER_MAGIC", 0xabba1974],
  ["PPC_CMM_MAGIC", 0xc7571590],
  ["LOGFS_MAGIC", 0xc97e8168],
  ["BPF_FS_MAGIC", 0xcafe4a11],
  ["EFIVARFS_MAGIC", 0xde5e81e4],
  ["EROFS_SUPER_MAGIC_V1", 0xe0f5e1e2],
  ["F2FS_SUPER_MAGIC", 0xf2f52010],
  ["SELINUX_MAGIC", 0xf97cff8c],
  ["HPFS_SUPER_MAGIC", 0xf995e849],
  ["SMB2_SUPER_MAGIC", 0xfe534d42],
  ["CIFS_SUPER_MAGIC", 0xff534d42],
]);

/** strace's `xlat/statfs_flags.in`. */
export const STATFS_FLAGS: Xlat = xlat([
  ["ST_VALID", 0x20],
  ["ST_RDONLY", 1],
  ["ST_NOSUID", 2],
  ["ST_NODEV", 4],
  ["ST_NOEXEC", 8],
  ["ST_SYNCHRONOUS", 0x10],
  ["ST_MANDLOCK", 0x40],
  ["ST_NOATIME", 0x400],
  ["ST_NODIRATIME", 0x800],
  ["ST_RELATIME", 0x1000],
  ["ST_NOSYMFOLLOW", 0x2000],
]);

/** strace's `xlat/flockcmds.in`. */
export const FLOCKCMDS: Xlat = xlat([
  ["LOCK_SH", 1],
  ["LOCK_EX", 2],
  ["LOCK_NB", 4],
  ["LOCK_UN", 8],
  ["LOCK_MAND", 0x20],
  ["LOCK_RW", 0xc0],
  ["LOCK_READ", 0x40],
  ["LOCK_WRITE", 0x80],
]);

/** strace's `xlat/advise.in`. */
export const ADVISE: Xlat = xlat([
  ["POSIX_FADV_NORMAL", 0],
  ["POSIX_FADV_RANDOM", 1],
  ["POSIX_FADV_SEQUENTIAL", 2],
  ["POSIX_FADV_WILLNEED", 3],
  ["POSIX_FADV_DONTNEED", 4],
  ["POSIX_FADV_NOREUSE", 5],
]);

/** strace's `xlat/xattrflags.in`. */
export const XATTRFLAGS: Xlat = xlat([
  ["XATTR_CREATE", 1],
  ["XATTR_REPLACE", 2],
]);

/** strace's `xlat/access_modes.in`. */
export const ACCESS_MODES: Xlat = xlat([
  ["F_OK", 0],
  ["R_OK", 4],
  ["W_OK", 2],
  ["X_OK", 1],
]);

/** strace's `xlat/whence_codes.in`. */
export const WHENCE_CODES: Xlat = xlat([
  ["SEEK_SET", 0],
  ["SEEK_CUR", 1],
  ["SEEK_END", 2],
  ["SEEK_DATA", 3],
  ["SEEK_HOLE", 4],
]);

/** strace's `xlat/modetypes.in`. */
export const MODETYPES: Xlat = xlat([
  ["S_IFREG", 0x8000],
  ["S_IFSOCK", 0xc000],
  ["S_IFIFO", 0x1000],
  ["S_IFLNK", 0xa000],
  ["S_IFDIR", 0x4000],
  ["S_IFBLK", 0x6000],
  ["S_IFCHR", 0x2000],
]);

/** strace's `xlat/dirent_types.in`. */
export const DIRENT_TYPES: Xlat = xlat([
  ["DT_UNKNOWN", 0],
  ["DT_FIFO", 1],
  ["DT_CHR", 2],
  ["DT_DIR", 4],
  ["DT_BLK", 6],
  ["DT_REG", 8],
  ["DT_LNK", 0xa],
  ["DT_SOCK", 0xc],
  ["DT_WHT", 0xe],
]);

/** strace's `xlat/splice_flags.in`. */
export const SPLICE_FLAGS: Xlat = xlat([
  ["SPLICE_F_MOVE", 1],
  ["SPLICE_F_NONBLOCK", 2],
  ["SPLICE_F_MORE", 4],
  ["SPLICE_F_GIFT", 8],
]);

/** strace's `xlat/tcxonc_options.in`. */
export const TCXONC_OPTIONS: Xlat = xlat([
  ["TCOOFF", 0],
  ["TCOON", 1],
  ["TCIOFF", 2],
  ["TCION", 3],
]);

/** strace's `xlat/tcflsh_options.in`. */
export const TCFLSH_OPTIONS: Xlat = xlat([
  ["TCIFLUSH", 0],
  ["TCOFLUSH", 1],
  ["TCIOFLUSH", 2],
]);

/** strace's `xlat/baud_options.in`. */
export const BAUD_OPTIONS: Xlat = xlat([
  ["B0", 0],
  ["B50", 1],
  ["B75", 2],
  ["B110", 3],
  ["B134", 4],
  ["B150", 5],
  ["B200", 6],
  ["B300", 7],
  ["B600", 8],
  ["B1200", 9],
  ["B1800", 0xa],
  ["B2400", 0xb],
  ["B4800", 0xc],
  ["B9600", 0xd],
  ["B19200", 0xe],
  ["B38400", 0xf],
  ["B57600", 0x1001],
  ["B115200", 0x1002],
  ["B230400", 0x1003],
  ["B460800", 0x1004],
  ["B500000", 0x1005],
  ["B576000", 0x1006],
  ["B921600", 0x1007],
  ["B1000000", 0x1008],
  ["B1152000", 0x1009],
  ["B1500000", 0x100a],
  ["B2000000", 0x100b],
  ["B2500000", 0x100c],
  ["B3000000", 0x100d],
  ["B3500000", 0x100e],
  ["B4000000", 0x100f],
  ["EXTA", 0xe],
  ["EXTB", 0xf],
  ["BOTHER", 0x1000],
]);

/** strace's `xlat/modem_flags.in`. */
export const MODEM_FLAGS: Xlat = xlat([
  ["TIOCM_LE", 1],
  ["TIOCM_DTR", 2],
  ["TIOCM_RTS", 4],
  ["TIOCM_ST", 8],
  ["TIOCM_SR", 0x10],
  ["TIOCM_CTS", 0x20],
  ["TIOCM_CAR", 0x40],
  ["TIOCM_RNG", 0x80],
  ["TIOCM_DSR", 0x100],
  ["TIOCM_OUT1", 0x2000],
  ["TIOCM_OUT2", 0x4000],
  ["TIOCM_LOOP", 0x8000],
]);

/** strace's `xlat/term_cflags.in`. */
export const TERM_CFLAGS: Xlat = xlat([
  ["CSTOPB", 0x40],
  ["CREAD", 0x80],
  ["PARENB", 0x100],
  ["PARODD", 0x200],
  ["HUPCL", 0x400],
  ["CLOCAL", 0x800],
  ["CMSPAR", 0x40000000],
  ["CRTSCTS", 0x80000000],
]);

/** strace's `xlat/term_cflags_csize.in`. */
export const TERM_CFLAGS_CSIZE: Xlat = xlat([
  ["CS5", 0],
  ["CS6", 0x10],
  ["CS7", 0x20],
  ["CS8", 0x30],
]);

/** strace's `xlat/term_iflags.in`. */
export const TERM_IFLAGS: Xlat = xlat([
  ["IGNBRK", 1],
  ["BRKINT", 2],
  ["IGNPAR", 4],
  ["PARMRK", 8],
  ["INPCK", 0x10],
  ["ISTRIP", 0x20],
  ["INLCR", 0x40],
  ["IGNCR", 0x80],
  ["ICRNL", 0x100],
  ["IUCLC", 0x200],
  ["IXON", 0x400],
  ["IXANY", 0x800],
  ["IXOFF", 0x1000],
  ["IMAXBEL", 0x2000],
  ["IUTF8", 0x4000],
]);

/** strace's `xlat/term_lflags.in`. */
export const TERM_LFLAGS: Xlat = xlat([
  ["ISIG", 1],
  ["ICANON", 2],
  ["XCASE", 4],
  ["ECHO", 8],
  ["ECHOE", 0x10],
  ["ECHOK", 0x20],
  ["ECHONL", 0x40],
  ["NOFLSH", 0x80],
  ["IEXTEN", 0x8000],
  ["ECHOCTL", 0x200],
  ["ECHOPRT", 0x400],
  ["ECHOKE", 0x800],
  ["FLUSHO", 0x1000],
  ["PENDIN", 0x4000],
  ["TOSTOP", 0x100],
  ["EXTPROC", 0x10000],
]);

/** strace's `xlat/term_oflags.in`. */
export const TERM_OFLAGS: Xlat = xlat([
  ["OPOST", 1],
  ["OLCUC", 2],
  ["ONLCR", 4],
  ["OCRNL", 8],
  ["ONOCR", 0x10],
  ["ONLRET", 0x20],
  ["OFILL", 0x40],
  ["OFDEL", 0x80],
]);

/** strace's `xlat/term_oflags_bsdly.in`. */
export const TERM_OFLAGS_BSDLY: Xlat = xlat([
  ["BS1", 0x2000],
  ["BS0", 0],
]);

/** strace's `xlat/term_oflags_crdly.in`. */
export const TERM_OFLAGS_CRDLY: Xlat = xlat([
  ["CR0", 0],
  ["CR1", 0x200],
  ["CR2", 0x400],
  ["CR3", 0x600],
]);

/** strace's `xlat/term_oflags_ffdly.in`. */
export const TERM_OFLAGS_FFDLY: Xlat = xlat([
  ["FF0", 0],
  ["FF1", 0x8000],
]);

/** strace's `xlat/term_oflags_nldly.in`. */
export const TERM_OFLAGS_NLDLY: Xlat = xlat([
  ["NL0", 0],
  ["NL1", 0x100],
]);

/** strace's `xlat/term_oflags_tabdly.in`. */
export const TERM_OFLAGS_TABDLY: Xlat = xlat([
  ["XTABS", 0x1800],
  ["TAB0", 0],
  ["TAB1", 0x800],
  ["TAB2", 0x1000],
  ["TAB3", 0x1800],
]);

/** strace's `xlat/term_oflags_vtdly.in`. */
export const TERM_OFLAGS_VTDLY: Xlat = xlat([
  ["VT0", 0],
  ["VT1", 0x4000],
]);

/** strace's `xlat/term_line_discs.in`. */
export const TERM_LINE_DISCS: Xlat = xlat([
  ["N_TTY", 0],
  ["N_SLIP", 1],
  ["N_MOUSE", 2],
  ["N_PPP", 3],
  ["N_STRIP", 4],
  ["N_AX25", 5],
  ["N_X25", 6],
  ["N_6PACK", 7],
  ["N_MASC", 8],
  ["N_R3964", 9],
  ["N_PROFIBUS_FDL", 0xa],
  ["N_IRDA", 0xb],
  ["N_SMSBLOCK", 0xc],
  ["N_HDLC", 0xd],
  ["N_SYNC_PPP", 0xe],
  ["N_HCI", 0xf],
  ["N_GIGASET_M101", 0x10],
  ["N_SLCAN", 0x11],
  ["N_PPS", 0x12],
  ["N_V253", 0x13],
  ["N_CAIF", 0x14],
  ["N_GSM0710", 0x15],
  ["N_TI_WL", 0x16],
  ["N_TRACESINK", 0x17],
  ["N_TRACEROUTER", 0x18],
  ["N_NCI", 0x19],
  ["N_SPEAKUP", 0x1a],
  ["N_NULL", 0x1b],
]);

/** strace's `xlat/termios_cc.in`. */
export const TERMIOS_CC: Xlat = xlat([
  ["VINTR", 0],
  ["VQUIT", 1],
  ["VERASE", 2],
  ["VKILL", 3],
  ["VEOL2", 0x10],
  ["VSWTC", 7],
  ["VSTART", 8],
  ["VSTOP", 9],
  ["VSUSP", 0xa],
  ["VREPRINT", 0xc],
  ["VDISCARD", 0xd],
  ["VWERASE", 0xe],
  ["VLNEXT", 0xf],
  ["VMIN", 6],
  ["VTIME", 5],
  ["VEOF", 4],
  ["VEOL", 0xb],
]);

/** strace's `xlat/ioctl_dirs.in`. */
export const IOCTL_DIRS: Xlat = xlat([
  ["_IOC_NONE", 0],
  ["_IOC_READ", 2],
  ["_IOC_WRITE", 1],
]);

/** Termios field masks (x86_64 `asm-generic/termbits.h`). */
export const TERM_MASKS: Readonly<Record<string, number>> = {
  NLDLY: 0x100,
  CRDLY: 0x600,
  TABDLY: 0x1800,
  BSDLY: 0x2000,
  VTDLY: 0x4000,
  FFDLY: 0x8000,
  CBAUD: 0x100f,
  CIBAUD: 0x100f0000,
  IBSHIFT: 0x10,
  CSIZE: 0x30,
  NCCS: 0x13,
};
