import fs from "node:fs";

/**
 * What Linux's /proc says about a process (memory, children): the kernel's own figures, which
 * include what the V8 heap statistics miss (native model weights, isolates, buffers). Undefined
 * where there is no /proc (macOS) or the process is gone.
 */

/** Resident set size in bytes (`VmRSS` of /proc/<pid>/status). */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** The pids of the process's direct children, over all its threads. */
export function childPids(pid: number): number[] | undefined {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return undefined;
  }
}
