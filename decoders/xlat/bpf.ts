/**
 * Constant tables of classic BPF filter programs (`struct sock_filter`), as data, in the order
 * strace 6.1's `src/xlat/bpf_*.in`, `seccomp_ret_action.in`, `skf_ad.in` and `skf_off.in` list
 * them (values from `linux/bpf_common.h`, `linux/filter.h` and `linux/seccomp.h`).
 * @module
 */
import { xlat } from "../xlat.ts";
import type { Xlat } from "../xlat.ts";

/** Instruction classes, `code & 0x07` (strace's `bpf_class`). */
export const bpfClass: Xlat = xlat([
  ["BPF_LD", 0x0],
  ["BPF_LDX", 0x1],
  ["BPF_ST", 0x2],
  ["BPF_STX", 0x3],
  ["BPF_ALU", 0x4],
  ["BPF_JMP", 0x5],
  ["BPF_RET", 0x6],
  ["BPF_MISC", 0x7],
]);

/** Operand sizes of loads, `code & 0x18` (strace's `bpf_size`). */
export const bpfSize: Xlat = xlat([
  ["BPF_W", 0x00],
  ["BPF_H", 0x08],
  ["BPF_B", 0x10],
  ["BPF_DW", 0x18],
]);

/** Addressing modes of loads, `code & 0xe0` (strace's `bpf_mode`). */
export const bpfMode: Xlat = xlat([
  ["BPF_IMM", 0x00],
  ["BPF_ABS", 0x20],
  ["BPF_IND", 0x40],
  ["BPF_MEM", 0x60],
  ["BPF_LEN", 0x80],
  ["BPF_MSH", 0xa0],
  ["BPF_XADD", 0xc0],
]);

/** ALU operations, `code & 0xf0` (strace's `bpf_op_alu`). */
export const bpfOpAlu: Xlat = xlat([
  ["BPF_ADD", 0x00],
  ["BPF_SUB", 0x10],
  ["BPF_MUL", 0x20],
  ["BPF_DIV", 0x30],
  ["BPF_OR", 0x40],
  ["BPF_AND", 0x50],
  ["BPF_LSH", 0x60],
  ["BPF_RSH", 0x70],
  ["BPF_NEG", 0x80],
  ["BPF_MOD", 0x90],
  ["BPF_XOR", 0xa0],
  ["BPF_MOV", 0xb0],
  ["BPF_ARSH", 0xc0],
  ["BPF_END", 0xd0],
]);

/** Jump operations, `code & 0xf0` (strace's `bpf_op_jmp`). */
export const bpfOpJmp: Xlat = xlat([
  ["BPF_JA", 0x00],
  ["BPF_JEQ", 0x10],
  ["BPF_JGT", 0x20],
  ["BPF_JGE", 0x30],
  ["BPF_JSET", 0x40],
  ["BPF_JNE", 0x50],
  ["BPF_JSGT", 0x60],
  ["BPF_JSGE", 0x70],
  ["BPF_CALL", 0x80],
  ["BPF_EXIT", 0x90],
  ["BPF_JLT", 0xa0],
  ["BPF_JLE", 0xb0],
  ["BPF_JSLT", 0xc0],
  ["BPF_JSLE", 0xd0],
]);

/** Operand sources of ALU and jump instructions, `code & 0x08` (strace's `bpf_src`). */
export const bpfSrc: Xlat = xlat([
  ["BPF_K", 0x00],
  ["BPF_X", 0x08],
]);

/** Return value sources, `code & 0x18` (strace's `bpf_rval`). */
export const bpfRval: Xlat = xlat([
  ["BPF_K", 0x00],
  ["BPF_X", 0x08],
  ["BPF_A", 0x10],
]);

/** Miscellaneous operations, `code & 0xf8` (strace's `bpf_miscop`). */
export const bpfMiscop: Xlat = xlat([
  ["BPF_TAX", 0x00],
  ["BPF_TXA", 0x80],
]);

/** Seccomp filter actions, `k & SECCOMP_RET_ACTION_FULL` (strace's `seccomp_ret_action`). */
export const seccompRetAction: Xlat = xlat([
  ["SECCOMP_RET_KILL_PROCESS", 0x80000000],
  ["SECCOMP_RET_KILL_THREAD", 0x00000000],
  ["SECCOMP_RET_TRAP", 0x00030000],
  ["SECCOMP_RET_ERRNO", 0x00050000],
  ["SECCOMP_RET_USER_NOTIF", 0x7fc00000],
  ["SECCOMP_RET_TRACE", 0x7ff00000],
  ["SECCOMP_RET_LOG", 0x7ffc0000],
  ["SECCOMP_RET_ALLOW", 0x7fff0000],
]);

/** Ancillary data offsets past `SKF_AD_OFF` (strace's `skf_ad`). */
export const skfAd: Xlat = xlat([
  ["SKF_AD_PROTOCOL", 0],
  ["SKF_AD_PKTTYPE", 4],
  ["SKF_AD_IFINDEX", 8],
  ["SKF_AD_NLATTR", 12],
  ["SKF_AD_NLATTR_NEST", 16],
  ["SKF_AD_MARK", 20],
  ["SKF_AD_QUEUE", 24],
  ["SKF_AD_HATYPE", 28],
  ["SKF_AD_RXHASH", 32],
  ["SKF_AD_CPU", 36],
  ["SKF_AD_ALU_XOR_X", 40],
  ["SKF_AD_VLAN_TAG", 44],
  ["SKF_AD_VLAN_TAG_PRESENT", 48],
  ["SKF_AD_PAY_OFFSET", 52],
  ["SKF_AD_RANDOM", 56],
  ["SKF_AD_VLAN_TPID", 60],
]);

/** The special load offsets of socket filters, as unsigned 32-bit values (strace's `skf_off`). */
export const skfOff: Xlat = xlat([
  ["SKF_AD_OFF", 0xfffff000],
  ["SKF_NET_OFF", 0xfff00000],
  ["SKF_LL_OFF", 0xffe00000],
]);
