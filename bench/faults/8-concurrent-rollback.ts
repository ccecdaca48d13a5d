// Row 8: two replicas on one PostgreSQL, two people in two browsers (session cookies, the room's
// path) and a script (bearer token, the fast path) pressing rollback at the same moment through
// both replicas. Exactly one rollback may execute; every other press joins it.
import { sessionCookie } from "../support/app";
import { Api, describeAnswers, haproxyPercent, query, seconds, type FaultRow } from "../support/faults";
import { labFor, replicasFor, ROUTER, shift, type RowContext } from "../support/fault-setup";

export const title = "2 browsers and 2 replicas pressing rollback together";
const SPLIT = 50;
/** Presses per replica: a third each from the two people and the script. */
const PER_REPLICA = 6;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const lab = await labFor(ctx);
  const { apps, apis, ownerUrl } = await replicasFor(ctx, 2, lab);
  const admin = apis[0]!;
  const cutoverId = await admin.createCutover({ name: "Faults: rollback pressed together", router: ROUTER });
  // A demo deployment may seat the demo team in new cutovers already (409: holds the role).
  for (const [email, role] of [["lead@demo.warroom", "DEPLOYMENT_LEAD"], ["oncall@demo.warroom", "ON_CALL"]] as const) {
    const a = await admin.post("/api/v1/commands/member.add", { cutoverId, email, role });
    if (a.status !== 200 && a.status !== 409) throw new Error(`member.add ${email}: ${a.status} ${a.message}`);
  }
  if ((await shift(admin, cutoverId, SPLIT)).status !== 200) throw new Error(`shift to ${SPLIT} % failed`);

  // Each person signed in on one replica; the sessions are valid on both (one signing secret).
  const lead = await sessionCookie(apps[0]!.url, "lead@demo.warroom");
  const oncall = await sessionCookie(apps[1]!.url, "oncall@demo.warroom");
  const callers = apps.flatMap((a) => [new Api(a.url, { cookie: lead }), new Api(a.url, { cookie: oncall }), new Api(a.url)]);
  const presses = callers.flatMap((api) => Array.from({ length: PER_REPLICA / 3 }, () => api));
  ctx.note(`${presses.length} presses at once through ${apps.length} replicas`);
  const answers = await Promise.all(presses.map((api, i) => api.post(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: `faults: press ${i + 1}` }, { timeoutMs: 60_000 })));

  const executed = answers.filter((a) => a.status === 200 && a.body?.joined === false).length;
  const joined = answers.filter((a) => a.status === 200 && a.body?.joined === true).length;
  const ids = new Set(answers.map((a) => a.body?.rollbackId).filter(Boolean));
  const rows = await query<{ state: string; n: string }>(ownerUrl, "SELECT state::text, count(*) AS n FROM rollbacks WHERE cutover_id = $1 GROUP BY state ORDER BY state", [cutoverId]);
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const completed = rows.filter((r) => r.state.startsWith("completed")).reduce((s, r) => s + Number(r.n), 0);
  const [c] = await query<{ percent: number }>(ownerUrl, "SELECT traffic_percent AS percent FROM cutovers WHERE id = $1", [cutoverId]);
  const real = await haproxyPercent(lab.haproxy);
  return {
    fault: title,
    done: `${presses.length} rollback presses at once, half through each of 2 replicas (lead and on-call by session cookie, a script by token), ${SPLIT} % on new`,
    users: `${describeAnswers(answers)}; ${executed} executed, ${joined} joined, ${ids.size} distinct rollback id(s); rollback rows ${rows.map((r) => `${r.state} ×${r.n}`).join(", ") || "none"}; split ${c!.percent} % recorded, ${real ?? "?"} % in HAProxy`,
    recover: `all ${answers.length} answered within ${seconds(Math.max(...answers.map((a) => a.ms)))}`,
    lost: "n/a",
    recovered: executed === 1 && joined === presses.length - 1 && ids.size === 1 && total === 1 && completed === 1 && c!.percent === 0 && real === 0,
  };
}
