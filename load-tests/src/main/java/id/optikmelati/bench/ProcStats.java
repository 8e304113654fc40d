package id.optikmelati.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time and resident memory of a process and its children, read from /proc (Linux). */
final class ProcStats {

    /** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on. */
    private static final double TICKS = 100.0;

    private ProcStats() {}

    /** The process and its descendants (nginx workers are children of the master). */
    static List<Long> tree(long pid) {
        List<Long> all = new ArrayList<>(List.of(pid));
        for (int i = 0; i < all.size(); i++) {
            long parent = all.get(i);
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String[] f = fields(d.resolve("stat"));
                        if (Long.parseLong(f[1]) == parent) {
                            all.add(Long.parseLong(d.getFileName().toString()));
                        }
                    } catch (IOException | RuntimeException gone) {
                        // exited meanwhile
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return all;
    }

    /** User plus system CPU seconds of the process tree. */
    static double cpuSeconds(long pid) {
        double sum = 0;
        for (long p : tree(pid)) {
            try {
                String[] f = fields(Path.of("/proc", Long.toString(p), "stat"));
                sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile
            }
        }
        return sum;
    }

    /** Resident set size of the process tree, in bytes. */
    static long rssBytes(long pid) {
        long sum = 0;
        for (long p : tree(pid)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        sum += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile
            }
        }
        return sum;
    }

    /**
     * User plus system CPU seconds of the process's threads whose name matches {@code name} (e.g. the
     * JVM's "C2 CompilerThre" as /proc shortens it), from /proc alone: asking the process itself (its metrics
     * endpoint) would cost it CPU, and JIT work, inside the window being measured.
     */
    static double threadCpuSeconds(long pid, String name) {
        double sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().matches(name)) {
                        String[] f = fields(task.resolve("stat"));
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sum;
    }

    /** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime. */
    private static String[] fields(Path stat) throws IOException {
        String s = Files.readString(stat);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }
}
