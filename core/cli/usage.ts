/**
 * The `-h` text and `-V` banner.
 * @module
 */

/** `sctrace -V`. */
export const VERSION = "sctrace -- version 0.1.0\nstrace-compatible tracer on Deno\n";

/** `sctrace -h`. */
export const USAGE = `Usage: sctrace [-ACffhinqqrtttTvVwxxyyzZ] [-e EXPR]...
               [-a COLUMN] [-o FILE] [-s STRSIZE] [-X FORMAT] [-O OVERHEAD]
               [-S SORTBY] [-P PATH]... [-p PID]... [-U COLUMNS] [--seccomp-bpf]
               [--proto[=LIST]] [--proto-filter EXPR] [--requests]
               [--plugin FILE[:OPTS]]... [--plugin-insecure] [--color=WHEN]
               { -p PID | [-E VAR=VAL]... [-u USERNAME] PROG [ARGS] }
   or: sctrace -c[fwzZ] [-e EXPR]... [-O OVERHEAD] [-S SORTBY] [-P PATH]... [-p PID]...
               [-U COLUMNS] [--seccomp-bpf]
               { -p PID | [-E VAR=VAL]... [-u USERNAME] PROG [ARGS] }

General:
  -e EXPR        a qualifying expression: OPTION=[!]all or OPTION=[!]VAL1[,VAL2]...
     options:    trace, abbrev, verbose, raw, signal, read, write, status, quiet,
                 decode-fds

Startup:
  -E VAR=VAL, --env=VAR=VAL
                 put VAR=VAL in the environment for command
  -E VAR, --env=VAR
                 remove VAR from the environment for command
  -p PID, --attach=PID
                 trace process with process id PID, may be repeated;
                 trailing numbers after -p are more pids (-p $(pgrep x))
  -u USERNAME, --user=USERNAME
                 run command as USERNAME

Tracing:
  -f, --follow-forks
                 follow forks
  -ff, --follow-forks --output-separately
                 follow forks with output into separate files

Filtering:
  -e trace=[!][?]{{SYSCALL|GROUP|all|/REGEX}[@64|@32|@x32]|none},
   --trace=[!][?]{{SYSCALL|GROUP|all|/REGEX}[@64|@32|@x32]|none}
                 trace only specified syscalls.
  -e signal=SET, --signal=SET
                 print only the signals from SET
  -e status=SET, --status=SET
                 print only system calls with the return statuses in SET
     statuses:   successful, failed, unfinished, unavailable, detached
  -P PATH, --trace-path=PATH
                 trace accesses to PATH
  -z, --successful-only
                 print only syscalls that returned without an error code
  -Z, --failed-only
                 print only syscalls that returned with an error code

Output format:
  -a COLUMN, --columns=COLUMN
                 alignment COLUMN for printing syscall results (default 40)
  -e abbrev=SET, --abbrev=SET
                 abbreviate output for the syscalls in SET
  -e verbose=SET, --verbose=SET
                 dereference structures for the syscall in SET
  -e raw=SET, --raw=SET
                 print undecoded arguments for the syscalls in SET
  -e read=SET, --read=SET
                 dump the data read from the file descriptors in SET
  -e write=SET, --write=SET
                 dump the data written to the file descriptors in SET
  -e quiet=SET, --quiet=SET
                 suppress messages: attach, attach,exit, or all
  -e decode-fds=SET, --decode-fds=SET
                 path, or all (path, socket, dev, pidfd)
  -i, --instruction-pointer
                 print instruction pointer at time of syscall
  -n, --syscall-number
                 print syscall number
  -o FILE, --output=FILE
                 send trace output to FILE instead of stderr
  -A, --output-append-mode
                 open the file provided in the -o option in append mode
  --output-separately
                 output into separate files (by appending pid to file names)
  -q, --quiet=attach,personality
                 suppress messages about attaching, detaching, etc.
  -qq, --quiet=attach,personality,exit
                 suppress messages about process exit status as well.
  -qqq, --quiet=all
                 suppress all suppressible messages.
  -r, --relative-timestamps[=us]
                 print relative timestamp
  -s STRSIZE, --string-limit=STRSIZE
                 limit length of print strings to STRSIZE chars (default 32)
  -t, --absolute-timestamps[=time]
                 print absolute timestamp
  -tt, --absolute-timestamps=[time,]us
                 print absolute timestamp with usecs
  -ttt, --absolute-timestamps=unix,us
                 print absolute UNIX time with usecs
  -T, --syscall-times[=us]
                 print time spent in each syscall
  -v, --no-abbrev
                 verbose mode: print entities unabbreviated
  -x, --strings-in-hex=non-ascii
                 print non-ASCII strings in hex
  -xx, --strings-in-hex[=all]
                 print all strings in hex
  -X FORMAT, --const-print-style=FORMAT
                 set the FORMAT for printing of named constants and flags
     formats:    raw, abbrev, verbose
  -y, --decode-fds[=path]
                 print paths associated with file descriptor arguments
  -yy, --decode-fds=all
                 print all available information associated with file
                 descriptors in addition to paths

Statistics:
  -c, --summary-only
                 count time, calls, and errors for each syscall and report
                 summary
  -C, --summary  like -c, but also print the regular output
  -O OVERHEAD[UNIT], --summary-syscall-overhead=OVERHEAD[UNIT]
                 set overhead for tracing syscalls to OVERHEAD UNITs
     units:      one of s, ms, us, ns; default is microseconds
  -S SORTBY, --summary-sort-by=SORTBY
                 sort syscall counts by: time, min-time, max-time, avg-time,
                 calls, errors, name, nothing (default time)
  -U COLUMNS, --summary-columns=COLUMNS
                 show specific columns in the summary report: comma-separated
                 list of time-percent, total-time, min-time, max-time,
                 avg-time, calls, errors, name
                 (default time-percent,total-time,avg-time,calls,errors,name)
  -w, --summary-wall-clock
                 summarise syscall latency (default is system time)

Protocols and plugins (sctrace only; these long names cannot be abbreviated):
  --proto[=http,fastcgi,mysql]
                 print protocol messages seen on descriptors
  --no-tls       with --proto, do not decode OpenSSL's TLS plaintext (breakpoints)
  --proto-filter EXPR
                 show only protocol messages (and requests) matching EXPR,
                 e.g. 'http.status>=500 or mysql.error or duration>100ms'
  --requests     show one block per request followed across tiers (nginx ->
                 FastCGI -> php-fpm -> SQL) instead of protocol messages
  --plugin FILE[:KEY=VAL[,KEY=VAL]...]
                 load a TypeScript decoder/sniffer/observer plugin (a local file;
                 as root, one only root or you can change), with its options
  --plugin-insecure
                 load --plugin files even when others could change them
  --trace-fds=FD[,FD]...
                 trace only syscalls on these descriptors
  --json, --output-format=json
                 write JSON Lines, one object per event (--output-format=text:
                 strace's text, the default)

Views (sctrace only):
  --timeline FILE
                 write a Chrome trace-event timeline (open it in ui.perfetto.dev)
  --report FILE  write a self-contained HTML report
  --live         a top-like view on the terminal; q detaches
  sctrace report|timeline TRACE.jsonl [-o FILE]
                 build the report or the timeline from a trace saved with --json

Colour (strace 7's; the long name cannot be abbreviated):
  --color=WHEN   colorize output; WHEN is auto, always, or never (default auto:
                 a terminal, NO_COLOR unset; STRACE_COLORS changes the colours)

Miscellaneous:
  -h, --help     print help message
  --seccomp-bpf  enable seccomp-bpf filtering
  -V, --version  print version

Not supported (refused with "OPTION is not supported"): -b/--detach-on, -d/--debug,
  -D/--daemonize, -I/--interruptible, -k/--stack-traces, -Y/--decode-pids, --pidns-translation, -e inject, -e fault, -e kvm, --tips,
  --strings-in-hex=non-ascii-chars, timestamp precisions other than the defaults.
`;
