"use client";
// The wall screen: a 1920×1080 TV read from across the room. Where are we (T-minus, phase, split),
// are we healthy (key metrics, old vs new, and the triggers counting down), and what is the room
// waiting for (the next decision, its gates and votes). No controls but the way out. Large
// tabular numbers that never wrap, states in one short word with a shape beside the colour, and
// light text on near-black chosen for ≥ 7:1 (wall-colors.ts).
import type { ReactNode } from "react";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { formatTOffset } from "@/lib/domain/relative-time";
import { isEnded } from "@/lib/domain/cutover-state";
import { ROLE_LABELS } from "@/lib/domain/roles";
import type { Gate } from "@/lib/domain/decision";
import { currentPhase, nextDecision, voteMarks } from "@/lib/client/wall";
import { formatUtc, formatWallTime } from "../shared/format";
import { WallMetrics } from "./wall-metrics";
import { WallTriggers } from "./wall-triggers";
import { CARD, LABEL, STATE_LOOK, type WallTone } from "./wall-colors";
import { Badge } from "./wall-badge";
import { clampPercent, SplitBar } from "../traffic-gauge";

export function WallView({ cutover: c, now, controls, banners }: { cutover: CutoverStateJson; now: number; /** The live indicator and the way out of wall mode. */ controls: ReactNode; banners?: ReactNode }) {
  const tZero = Date.parse(c.tZero);
  return (
    <main className="wall fixed inset-0 z-40 flex flex-col gap-4 overflow-auto bg-neutral-950 p-4 text-neutral-50 2xl:gap-6 2xl:p-8" data-testid="wall">
      <header className="flex min-w-0 flex-wrap items-center justify-between gap-x-8 gap-y-2">
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-3xl font-semibold 2xl:text-4xl" data-testid="cutover-name" title={c.name}>
            {c.name}
          </h1>
          <p className="flex flex-wrap items-center gap-3 text-lg text-neutral-300 2xl:text-2xl">
            <span className={`whitespace-nowrap rounded border-2 px-2 font-bold ${c.mode === "rehearsal" ? "border-purple-300 text-purple-200" : "border-neutral-200 text-neutral-50"}`}>
              {c.mode === "rehearsal" ? "REHEARSAL" : "LIVE"}
            </span>
            <span className="whitespace-nowrap uppercase" data-testid="cutover-state">
              {c.state.replace("_", " ")}
            </span>
            <span className="min-w-0 truncate" title={`${c.systemFrom} → ${c.systemTo}`}>
              {c.systemFrom} → {c.systemTo}
            </span>
          </p>
        </div>
        <div className="text-right">
          <div className="whitespace-nowrap text-5xl font-bold tabular sm:text-6xl text-white 2xl:text-8xl" data-testid="t-clock" data-wall-number title={`T-0 = ${new Date(tZero).toISOString()}`}>
            {formatTOffset(now - tZero)}
          </div>
          <div className="whitespace-nowrap text-lg text-neutral-300 tabular 2xl:text-2xl" title={`${new Date(now).toISOString().slice(11, 19)} UTC`}>
            <span data-testid="wall-clock">{formatWallTime(now, c.timeZone, now, true)}</span> {c.timeZone}
          </div>
        </div>
        <div className="flex items-center gap-4 text-lg">{controls}</div>
      </header>

      {banners}

      <div className="grid min-h-0 flex-1 gap-4 lg:grid-cols-[minmax(0,4fr)_minmax(0,8fr)] 2xl:gap-6">
        <div className="flex min-w-0 flex-col gap-4 2xl:gap-6">
          <Split percent={c.trafficPercent} />
          <Phase cutover={c} />
          <NextDecision cutover={c} />
        </div>
        <div className="flex min-w-0 flex-col gap-4 2xl:gap-6">
          {!isEnded(c.state) && <WallTriggers cutoverId={c.id} now={now} />}
          <WallMetrics cutover={c} now={now} />
        </div>
      </div>
    </main>
  );
}

/** The split, as big as the clock: the two numbers carry it, the bar repeats it. */
function Split({ percent }: { percent: number }) {
  const p = clampPercent(percent);
  return (
    <section aria-label={`Traffic split: old ${100 - p} %, new ${p} %`} className={CARD} data-testid="wall-split" data-percent={p}>
      <h2 className={LABEL}>Traffic</h2>
      <div className="flex flex-wrap items-baseline justify-between gap-x-6 tabular">
        <span className="whitespace-nowrap">
          <span className="mr-2 text-2xl text-neutral-300 2xl:text-3xl">OLD</span>
          <span className="whitespace-nowrap text-5xl font-bold sm:text-6xl text-white 2xl:text-8xl" data-wall-number>
            {100 - p}
          </span>
          <span className="text-3xl text-neutral-200 2xl:text-4xl"> %</span>
        </span>
        <span className="whitespace-nowrap">
          <span className="mr-2 text-2xl text-sky-200 2xl:text-3xl">NEW</span>
          <span className="whitespace-nowrap text-5xl font-bold sm:text-6xl text-sky-100 2xl:text-8xl" data-wall-number>
            {p}
          </span>
          <span className="text-3xl text-sky-200 2xl:text-4xl"> %</span>
        </span>
      </div>
      <SplitBar percent={p} className="mt-3 h-4 bg-neutral-800 2xl:h-6" oldClass="bg-neutral-400" newClass="bg-sky-400" />
    </section>
  );
}

function Phase({ cutover: c }: { cutover: CutoverStateJson }) {
  const current = currentPhase(c.phases);
  return (
    <section aria-labelledby="wall-phase" className={CARD} data-testid="wall-phase">
      <h2 id="wall-phase" className={LABEL}>
        Phase{current && <span className="tabular"> {current.index + 1} of {current.count}</span>}
      </h2>
      {current ? (
        <>
          <p className="truncate text-3xl font-semibold 2xl:text-5xl" title={current.phase.name} data-testid="wall-phase-name">
            {current.phase.name}
            {current.phase.plannedAt && <span className="ml-3 text-2xl font-normal text-neutral-300 2xl:text-3xl">{current.phase.plannedAt}</span>}
          </p>
          <p className="mt-1 whitespace-nowrap text-xl text-neutral-200 tabular 2xl:text-2xl">
            {current.open === 0 ? "all items closed" : `${current.open} of ${current.total} items open`}
          </p>
        </>
      ) : (
        <p className="text-2xl text-neutral-200">No phases yet</p>
      )}
    </section>
  );
}

const DECISION_TONE: Record<string, { word: string; tone: WallTone }> = {
  pending: { word: "PENDING", tone: "idle" },
  voting: { word: "VOTING", tone: "active" },
  proceed: { word: "PROCEED", tone: "ok" },
  abort: { word: "ABORT", tone: "critical" },
};

function NextDecision({ cutover: c }: { cutover: CutoverStateJson }) {
  const next = nextDecision(c.decisions, c.phases);
  if (!next) {
    return (
      <section aria-labelledby="wall-decision" className={CARD} data-testid="wall-decision">
        <h2 id="wall-decision" className={LABEL}>Next decision</h2>
        <p className="text-2xl text-neutral-200">No decision points</p>
      </section>
    );
  }
  const d = next.decision;
  const snapshot = next.closed ? d.snapshot : null;
  const gates: Gate[] = snapshot ? snapshot.gates : d.gates;
  const votes = snapshot ? snapshot.votes : d.votes.map((v) => ({ role: v.role, choice: v.choice, userName: v.user.name }));
  const look = DECISION_TONE[d.state] ?? DECISION_TONE.pending!;
  return (
    <section aria-labelledby="wall-decision" className={`${CARD} min-h-0 flex-1`} data-testid="wall-decision" data-state={d.state}>
      <h2 id="wall-decision" className={LABEL}>
        {next.closed ? "Last decision" : "Next decision"}
      </h2>
      <div className="flex min-w-0 items-center gap-3">
        <p className="min-w-0 flex-1 truncate text-3xl font-semibold 2xl:text-4xl" title={d.title} data-testid="decision-title">
          {d.title}
        </p>
        <Badge tone={look.tone} testId="wall-decision-state">
          {look.word}
        </Badge>
      </div>
      {d.targetPercent !== null && <p className="whitespace-nowrap text-xl text-neutral-200 tabular 2xl:text-2xl">to {d.targetPercent} % new</p>}
      <ul className="mt-3 space-y-1 text-xl 2xl:text-2xl" aria-label="Gates">
        {gates.map((g) => (
          <li key={g.id} className="flex min-w-0 items-center gap-3" data-testid="wall-gate" data-passed={g.passed}>
            <span aria-hidden className={`shrink-0 font-bold ${g.passed ? STATE_LOOK.ok.text : STATE_LOOK.critical.text}`}>
              {g.passed ? "✓" : "✗"}
            </span>
            <span className="sr-only">{g.passed ? "passed:" : "not passed:"}</span>
            <span className="min-w-0 truncate" title={`${g.label}: ${g.detail}`}>
              {g.label}
            </span>
          </li>
        ))}
      </ul>
      {d.requiredRoles.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-2 text-lg 2xl:text-xl" aria-label="Votes">
          {voteMarks(d.requiredRoles, votes).map((v) => (
            <li key={v.role} data-testid="wall-vote" data-choice={v.choice} title={v.userName ?? undefined}>
              <Badge tone={v.choice === "go" ? "ok" : v.choice === "no_go" ? "critical" : "idle"}>
                <span aria-hidden>{v.choice === "go" ? "✓" : v.choice === "no_go" ? "✗" : "…"}</span> {ROLE_LABELS[v.role]}{" "}
                {v.choice === "go" ? "GO" : v.choice === "no_go" ? "NO-GO" : "waiting"}
              </Badge>
            </li>
          ))}
        </ul>
      )}
      {snapshot && (
        <p className="mt-2 text-lg text-neutral-300" title={formatUtc(snapshot.at)}>
          decided {formatWallTime(snapshot.at, c.timeZone, c.tZero)}
        </p>
      )}
    </section>
  );
}
