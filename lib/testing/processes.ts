// For tests only: whether a process has ended.
import { readFileSync } from "node:fs";

/** Gone = no such process, or a zombie (dead, waiting for init to reap it: nothing runs any more). */
export function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
