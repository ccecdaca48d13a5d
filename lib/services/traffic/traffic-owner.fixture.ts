// A server-like process for lib/services/traffic/lease.test.ts: presses rollback (or shifts) one
// cutover against DATABASE_URL and the router the inherited configuration file defines, then stays
// alive, so the test can kill it while the router has not answered yet.
import { startRollback } from "./start-rollback";
import { changeSplit } from "./change-split";

const cutoverId = process.env.CUTOVER_ID!;
const mover = { userId: null, name: "owner process", role: null };
const work =
  process.env.ACTION === "shift"
    ? changeSplit({ cutoverId, toPercent: Number(process.env.TO_PERCENT), mover, reason: "shift from the owner process" })
    : startRollback(mover, { cutoverId, reason: "pressed on the owner process" });
work.then(
  (r) => console.log(`DONE ${JSON.stringify(r)}`),
  (err: Error) => console.log(`FAILED ${err.message}`),
);
setInterval(() => {}, 1 << 30);
