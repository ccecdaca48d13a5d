// A server-like process for lib/jobs/leader.test.ts: runs the jobs leader election and the real
// poller against DATABASE_URL, printing "LEADER" when it takes over.
import { runAsLeader } from "./leader";
import { startPoller } from "./poller";

const url = process.env.DATABASE_URL!;
runAsLeader({
  url,
  lockKey: Number(process.env.LOCK_KEY ?? 724_001),
  name: "jobs",
  log: (line) => console.log(line.includes("this process is the leader") ? "LEADER" : line),
  lead: () => startPoller({ log: (l) => console.log(l) }),
});
setInterval(() => {}, 1 << 30);
