// Row 1: the embedded PostgreSQL SIGKILLed (what the OOM killer does) while scripts sign items off
// at 200/s. Every sign-off the API acknowledged (2xx) must be in the database afterwards; users see
// 503s with a message meanwhile; recovered = the first 2xx to a request sent after the kill.
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded-postgres";
import { Api, describeAnswers, isAlive, postmaster, query, runbookOf, seconds, sleep, stopLeftoverPostgres, waitFor, type ApiAnswer, type FaultRow } from "../support/faults";
import { exited } from "../support/app";
import { appFor, type RowContext } from "../support/fault-setup";
import { steadyRate } from "../support/steady-rate";

const RATE = 200;
const WARM_MS = 5000;
const CAP_MS = 30_000;
const AFTER_RECOVERY_MS = 3000;
const CUTOVERS = 40;
// Small runbooks: an import has a 1 s reading budget.
const ITEMS_PER_CUTOVER = 200;

export const title = "PostgreSQL SIGKILL during 200 sign-offs/s";

export async function run(ctx: RowContext): Promise<FaultRow> {
  const app = await appFor(ctx);
  const api = new Api(app.url);
  const items: string[] = [];
  for (let c = 0; c < CUTOVERS; c++) {
    const cutoverId = await api.createCutover({ name: `Faults sign-offs ${c}`, runbook: runbookOf(`Sign-offs ${c}`, ITEMS_PER_CUTOVER) });
    const state = (await api.must(`/api/v1/cutovers/${cutoverId}`)) as { phases: { sections: { items: { id: string }[] }[] }[] };
    for (const item of state.phases.flatMap((p) => p.sections.flatMap((s) => s.items))) items.push(`/api/v1/cutovers/${cutoverId}/items/${item.id}`);
  }
  ctx.note(`${items.length} items ready; signing off at ${RATE}/s`);

  // Each item is signed off once: an acknowledged sign-off must still be there at the end.
  const sent: { item: string; at: number; answer?: ApiAnswer }[] = [];
  const load = steadyRate(RATE, async (i) => {
    const item = items[i];
    if (!item) return;
    const entry: (typeof sent)[number] = { item, at: Date.now() };
    sent.push(entry);
    entry.answer = await api.post(`${item}/signoff`, {}, { timeoutMs: 5000 });
  });
  let killedAt = 0;
  let health: ApiAnswer | null = null;
  let recoveredAfter: number | null = null;
  try {
    await sleep(WARM_MS);
    const pm = postmaster(path.join(app.postgresRoot, "cluster"));
    if (!pm || !isAlive(pm.pid)) throw new Error("no embedded PostgreSQL to kill: is DATABASE_URL set in this environment?");
    process.kill(pm.pid, "SIGKILL");
    killedAt = Date.now();
    ctx.note(`SIGKILLed the postmaster (pid ${pm.pid})`);
    // What a load balancer or a monitor asks meanwhile.
    void sleep(2000).then(async () => (health = await api.get("/health", { timeoutMs: 5000 })));
    const ok = await waitFor(async () => sent.find((s) => s.at > killedAt && s.answer && s.answer.status >= 200 && s.answer.status < 300), CAP_MS, 50);
    if (ok) {
      recoveredAfter = ok.value.at + ok.value.answer!.ms - killedAt;
      await sleep(AFTER_RECOVERY_MS);
    }
  } finally {
    await load.stop();
  }

  const acked = sent.filter((s) => s.answer && s.answer.status >= 200 && s.answer.status < 300).map((s) => s.item.split("/").at(-1)!);
  const during = sent.filter((s) => s.at > killedAt && (recoveredAfter === null || s.at < killedAt + recoveredAfter)).map((s) => s.answer!);

  const crashed = exited(app.child) ? `the app process itself exited (${app.child.signalCode ?? `code ${app.child.exitCode}`}); ` : "";
  if (crashed) ctx.note(`the app exited; its last lines:\n${app.log().split("\n").slice(-15).join("\n")}`);

  // The check reads the data directory itself, after the app is gone: what a restart would find.
  await app.stop();
  await stopLeftoverPostgres(app.postgresRoot);
  const pgHandle = await startEmbeddedPostgres({ dataDir: app.postgresRoot });
  let found = 0;
  try {
    const rows = await query<{ n: string }>(pgHandle.ownerUrl, "SELECT count(*) AS n FROM items i WHERE i.id = ANY($1::uuid[]) AND i.state = 'done' AND EXISTS (SELECT 1 FROM sign_offs s WHERE s.item_id = i.id)", [acked]);
    found = Number(rows[0]!.n);
  } finally {
    await pgHandle.stop();
  }
  const lost = acked.length - found;
  return {
    fault: title,
    done: `${sent.length} sign-offs sent at ${RATE}/s; postmaster SIGKILLed after ${WARM_MS / 1000} s`,
    users: `${crashed}after the kill: ${describeAnswers(during)}; /health 2 s after: ${healthOf(health)}`,
    recover: recoveredAfter === null ? `no 2xx within ${CAP_MS / 1000} s` : seconds(recoveredAfter),
    lost: `${lost} of ${acked.length} acknowledged`,
    recovered: recoveredAfter !== null && lost === 0,
  };
}

function healthOf(a: ApiAnswer | null): string {
  if (!a) return "not asked";
  if (a.status === 0) return a.message;
  return `${a.status} ${JSON.stringify({ status: a.body?.status, database: a.body?.database })}`;
}
