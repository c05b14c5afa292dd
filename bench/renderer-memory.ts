// Memory and CPU time of the Chromium renderers this benchmark process launched (page and workers), from /proc.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the renderer processes (the page and its workers) of the Chromium this process launched.
 * Only our descendants count: other browsers may run on the same machine.
 */
export function rendererPids(): number[] {
  const children = new Map<number, number[]>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The ppid is the 2nd field after the parenthesised command name, which may contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {
      /* process ended */
    }
  }
  const renderers: number[] = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const pid = queue.pop()!;
    queue.push(...(children.get(pid) ?? []));
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('chrom') && cmd.includes('--type=renderer')) renderers.push(pid);
    } catch {
      /* process ended */
    }
  }
  return renderers;
}

/** Resident memory of the renderer processes, in bytes. */
export function rendererRssBytes(): number {
  let total = 0;
  for (const pid of rendererPids()) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* process ended */
    }
  }
  return total;
}

/** utime + stime of the renderer processes, in seconds. */
export function rendererCpuSeconds(): number {
  let ticks = 0;
  for (const pid of rendererPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name: state ppid … utime is field 14 of the whole line, index 11 here.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* process ended */
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}
