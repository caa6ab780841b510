/**
 * The `-h` text and `-V` banner.
 * @module
 */

/** `sctrace -V`. */
export const VERSION = "sctrace -- version 0.1.0\nstrace-compatible tracer on Deno\n";

/** `sctrace -h`. */
export const USAGE = `Usage: sctrace [-ACdffhikqqrtttTvVwxxyyzZ] [-I N] [-b execve] [-e EXPR]...
               [-a COLUMN] [-o FILE] [-s STRSIZE] [-X FORMAT] [-O OVERHEAD]
               [-S SORTBY] [-P PATH]... [-p PID]... [-U COLUMNS] [--seccomp-bpf]
               [--proto[=LIST]] [--plugin FILE]...
               { -p PID | [-E VAR=VAL]... [-u USERNAME] PROG [ARGS] }
   or: sctrace -c[dfwzZ] [-e EXPR]... [-S SORTBY] [-p PID]... { -p PID | PROG [ARGS] }

Startup:
  -E VAR=VAL, --env=VAR=VAL  put VAR=VAL in the environment for command
  -E VAR, --env=VAR          remove VAR from the environment for command
  -p PID, --attach=PID       trace process with process id PID, may be repeated;
                             trailing numbers after -p are more pids (-p $(pgrep x))
  -u USERNAME, --user=USERNAME
                             run command as USERNAME

Tracing:
  -f, --follow-forks         follow forks
  -ff                        follow forks with output into separate files

Filtering:
  -e trace=[!][?]{SYSCALL|%GROUP|all|/REGEX|none}, --trace=...
                             trace only specified syscalls
  -e signal=SET, --signal=SET   print only the signals from SET
  -e status=SET, --status=SET   print only system calls with the return statuses in SET
  -P PATH, --trace-path=PATH    trace accesses to PATH
  -z, --successful-only      print only syscalls that returned without an error code
  -Z, --failed-only          print only syscalls that returned with an error code

Output format:
  -a COLUMN, --columns=COLUMN   alignment COLUMN for printing syscall results (default 40)
  -e abbrev=SET, -e verbose=SET, -e raw=SET
  -e read=SET, -e write=SET     dump the data read from/written to the descriptors in SET
  -i, --instruction-pointer  print instruction pointer at time of syscall
  -n, --syscall-number       print syscall number
  -o FILE, --output=FILE     send trace output to FILE instead of stderr
  -A, --output-append-mode   open the file provided in the -o option in append mode
  -q, -qq, -qqq              suppress messages about attaching, detaching, exit status
  -r, --relative-timestamps  print relative timestamp
  -s STRSIZE, --string-limit=STRSIZE
                             limit length of print strings to STRSIZE chars (default 32)
  -t, -tt, -ttt              print absolute timestamp (with usecs, as UNIX time)
  -T, --syscall-times        print time spent in each syscall
  -v, --no-abbrev            verbose mode: print entities unabbreviated
  -x, -xx                    print non-ASCII strings (all strings) in hex
  -X FORMAT, --const-print-style=FORMAT   raw, abbrev, verbose
  -y, -yy, --decode-fds      print paths (and socket details) of file descriptors

Statistics:
  -c, --summary-only         count time, calls, and errors for each syscall and report summary
  -C, --summary              like -c, but also print the regular output
  -S SORTBY                  sort by: time, min-time, max-time, avg-time, calls, errors, name, nothing
  -U COLUMNS                 time-percent, total-time, min-time, max-time, avg-time, calls, errors, name
  -w, --summary-wall-clock   summarise syscall latency (default is system time)

Protocols and plugins (sctrace only):
  --proto[=http,fastcgi,mysql]  print protocol messages seen on descriptors
  --plugin FILE              load a TypeScript decoder/sniffer plugin

Miscellaneous:
  -h, --help                 print help message
  -V, --version              print version
  --seccomp-bpf              enable seccomp-bpf filtering
`;
