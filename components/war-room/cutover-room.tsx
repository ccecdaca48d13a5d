"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { roomAction } from "@/lib/actions/room";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { canInCutover, type Action } from "@/lib/domain/permissions";
import { ROLE_LABELS } from "@/lib/domain/roles";
import dynamic from "next/dynamic";
import { LiveIndicator } from "./live-indicator";
import { cutoverQueryKey, useLiveCutover, type LiveEvent } from "./shared/use-live-cutover";
import { useNow } from "./shared/use-now";
import { PlanView } from "./plan/plan-view";
import { NowView } from "./now/now-view";
import { RoomHeader } from "./room-header";
import type { RunCommand } from "./shared/types";
import { createRoomEvents, RoomEventsContext } from "./shared/room-events";
import { ShiftButton } from "./traffic/shift-button";
import { RollbackButton } from "./rollback/rollback-button";
import { TriggerBanners } from "./triggers/trigger-banners";
import { AlertBanners } from "./alerts/alert-banners";
import { CheckInBanner } from "./checkins/checkin-banner";
import { DeliveryFailures } from "./comms/delivery-failures";
import { RecommendedAnnouncements } from "./comms/recommended-announcements";
import { TrafficGauge } from "./traffic-gauge";
import { initialShortcutState, pressKey, SHORTCUTS } from "./shortcuts";
import { BUTTON_CLASS } from "./shared/format";
import { PanelNote } from "./shared/parts";
import { ReportLink } from "./report/report-link";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useLiveAnnouncer } from "@/components/ui/live-announcer";
import { announcementFor, describeEvent, isTickerEvent, type AnnounceContext } from "@/lib/client/event-words";
import { WallView } from "./wall/wall-view";

// The Now tab opens first and the header is always there; every other tab's code (the charts
// above all) is fetched when that tab is first opened, so the room's first load stays light.
const loading = () => <PanelNote>Loading…</PanelNote>;
const MetricsPanel = dynamic(() => import("./metrics/metrics-panel").then((m) => m.MetricsPanel), { loading });
const TrafficPanel = dynamic(() => import("./traffic/traffic-panel").then((m) => m.TrafficPanel), { loading });
const TimelinePanel = dynamic(() => import("./timeline/timeline-panel").then((m) => m.TimelinePanel), { loading });
const DecisionsPanel = dynamic(() => import("./decisions/decisions-panel").then((m) => m.DecisionsPanel), { loading });
const ContactsPanel = dynamic(() => import("./contacts/contacts-panel").then((m) => m.ContactsPanel), { loading });
const RisksPanel = dynamic(() => import("./risks/risks-panel").then((m) => m.RisksPanel), { loading });
const CommsPanel = dynamic(() => import("./comms/comms-panel").then((m) => m.CommsPanel), { loading });
const AuditPanel = dynamic(() => import("./audit/audit-panel").then((m) => m.AuditPanel), { loading });

async function fetchCutover(id: string): Promise<CutoverStateJson> {
  const res = await fetch(`/api/v1/cutovers/${id}`, { cache: "no-store" });
  if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { message?: string } | null)?.message ?? `HTTP ${res.status}`);
  return (await res.json()) as CutoverStateJson;
}

const TABS = ["Now", "Plan", "Metrics", "Traffic", "Timeline", "Decisions", "Contacts", "Risks", "Comms", "Audit"] as const;
// Commands that only read: no need to refetch the room after them.
const READ_ONLY = new Set(["metric.test", "router.test"]);
type Tab = (typeof TABS)[number];

/** Keys typed into these are text, not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

const NOTHING_ALLOWED = () => false;

/** `?tab=plan` opens the Plan tab (any tab, by name, any case); anything else opens Now. */
function tabNamed(name: string | undefined): Tab {
  return TABS.find((t) => t.toLowerCase() === name?.toLowerCase()) ?? "Now";
}

export function CutoverRoom({ initial, me, wall: wallAtStart = false, tab: tabAtStart }: { initial: CutoverStateJson; me: { id: string; name: string; isAdmin: boolean }; /** Opened with ?wall=1. */ wall?: boolean; /** Opened with ?tab=… */ tab?: string }) {
  const queryClient = useQueryClient();
  const key = cutoverQueryKey(initial.id);
  const { data: c, error } = useQuery({ queryKey: key, queryFn: () => fetchCutover(initial.id), initialData: initial });
  const [latest, setLatest] = useState<LiveEvent | null>(null);
  const events = useMemo(createRoomEvents, []);
  const { announce, regions } = useLiveAnnouncer();
  // Read when an event arrives: the titles as the room last fetched them.
  const known = useRef<AnnounceContext | null>(null);
  known.current = {
    myName: me.name,
    myRoles: c.myRoles,
    item: (id) => {
      for (const p of c.phases) for (const s of p.sections) for (const i of s.items) if (i.id === id) return i;
      return undefined;
    },
    decision: (id) => c.decisions.find((d) => d.id === id)?.title,
  };
  const { status, people } = useLiveCutover(initial.id, (e) => {
    events.emit(e);
    if (known.current) announce(announcementFor(e, known.current));
    // Samples and trigger ticks arrive constantly; "latest change" is for changes people made.
    if (isTickerEvent(e.type)) setLatest(e);
  });
  const now = useNow();
  const [tab, setTabState] = useState<Tab>(() => tabNamed(tabAtStart));
  // The tab is part of the address too: a reload or a bookmark opens the same tab.
  const setTab = useCallback((t: Tab) => {
    setTabState(t);
    const url = new URL(window.location.href);
    if (t === "Now") url.searchParams.delete("tab");
    else url.searchParams.set("tab", t.toLowerCase());
    window.history.replaceState(null, "", url);
  }, []);
  const [wall, setWall] = useState(wallAtStart);
  const [help, setHelp] = useState(false);
  const shortcuts = useRef(initialShortcutState);

  // Wall mode is part of the address, so a wall screen's bookmark opens it.
  const toggleWall = useCallback(() => {
    setWall((on) => {
      const url = new URL(window.location.href);
      if (on) url.searchParams.delete("wall");
      else url.searchParams.set("wall", "1");
      window.history.replaceState(null, "", url);
      return !on;
    });
  }, []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const { state, action } = pressKey(shortcuts.current, { key: e.key, at: e.timeStamp, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target) });
      shortcuts.current = state;
      if (!action) return;
      if (action.kind === "close") return setHelp(false);
      e.preventDefault();
      if (action.kind === "help") setHelp((open) => !open);
      else if (action.kind === "wall") toggleWall();
      else if (action.kind === "tab") {
        setWall(false);
        setTab(action.tab as Tab);
      } else if (action.kind === "filter") {
        setTab("Plan");
        // The plan view is rendered by then.
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('input[aria-label="Filter items"]')?.focus());
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggleWall, setTab]);

  const run: RunCommand = useCallback(
    async (name, input) => {
      const result = await roomAction(name, input);
      // Success or conflict: either way the current state is worth fetching now.
      if (!READ_ONLY.has(name) && (result.ok || result.status === 409)) await queryClient.invalidateQueries({ queryKey: key });
      return result;
    },
    [queryClient, key],
  );
  const canAct = useCallback((action: Action) => canInCutover(me, c.myRoles, action), [me, c.myRoles]);
  // The wall screen shows the room; nobody acts from it (the server checks roles either way).
  const can = wall ? NOTHING_ALLOWED : canAct;
  const panel = { cutover: c, run, now, can };

  // A modal dialog: the focus stays inside and returns to where it was when it closes.
  const helpDialog = help && (
    <ConfirmDialog title="Keyboard shortcuts" onClose={() => setHelp(false)} testId="shortcuts-dialog">
      <table className="mt-2 w-full text-sm">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td className="py-0.5 pr-3">
                <kbd className="rounded border border-neutral-300 px-1 font-mono text-xs dark:border-neutral-700">{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" data-autofocus className={`${BUTTON_CLASS} mt-3`} onClick={() => setHelp(false)}>
        Close
      </button>
    </ConfirmDialog>
  );

  // Dark on the wall too: the wall turns on the `dark:` variant (app/globals.css).
  const refreshError = error && (
    <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
      Could not refresh: {error.message}
    </p>
  );

  const wallButton = (
    <button type="button" onClick={toggleWall} aria-pressed={wall} title="Wall mode (w)" className={BUTTON_CLASS}>
      {wall ? "Exit wall mode" : "Wall mode"}
    </button>
  );

  if (wall) {
    return (
      <RoomEventsContext.Provider value={events}>
        <WallView
          cutover={c}
          now={now}
          controls={
            <>
              <LiveIndicator status={status} />
              {wallButton}
            </>
          }
          banners={
            <>
              <AlertBanners {...panel} />
              <CheckInBanner {...panel} />
              {refreshError}
            </>
          }
        />
        {helpDialog}
        {regions}
      </RoomEventsContext.Provider>
    );
  }

  return (
    <RoomEventsContext.Provider value={events}>
    <main className="mx-auto max-w-7xl p-2 max-sm:pb-24 sm:p-4">
      <RoomHeader cutover={c} now={now} run={run} can={can}>
        <TrafficGauge percent={c.trafficPercent} />
        <ShiftButton cutover={c} run={run} can={can} />
        {/* On a phone the lever stays in reach: a bar fixed at the bottom, the same button and dialog. */}
        <div data-testid="rollback-bar" className="empty:hidden max-sm:fixed max-sm:inset-x-0 max-sm:bottom-0 max-sm:z-30 max-sm:flex max-sm:justify-end max-sm:border-t max-sm:border-neutral-300 max-sm:bg-white/95 max-sm:p-2 max-sm:dark:border-neutral-700 max-sm:dark:bg-neutral-950/95">
          <RollbackButton cutover={c} run={run} can={can} />
        </div>
        <ReportLink cutover={c} />
        <span data-testid="my-roles" className="text-sm">
          {me.name}: {c.myRoles.length ? c.myRoles.map((r) => ROLE_LABELS[r]).join(", ") : "no role (administrator view)"}
        </span>
        <LiveIndicator status={status} />
        {wallButton}
        <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" className={BUTTON_CLASS}>
          ?
        </button>
      </RoomHeader>

      <section aria-label="Who is in the room" className="mb-3 flex flex-wrap items-center gap-2 text-sm" data-testid="presence">
        <span className="text-muted">In the room:</span>
        {people.map((p) => (
          <span key={p.userId} data-testid="present-person" className="rounded-full border border-neutral-300 bg-white px-2 py-0.5 dark:border-neutral-700 dark:bg-neutral-900">
            {p.name}
            <span className="ml-1 text-xs text-muted">{p.roles.map((r) => ROLE_LABELS[r]).join(", ") || "admin"}</span>
          </span>
        ))}
        {latest && (
          <span data-testid="latest-change" className="ml-auto rounded bg-blue-50 px-2 py-0.5 text-blue-900 dark:bg-blue-950 dark:text-blue-100">
            {describeEvent(latest)} · {new Date(latest.at).toLocaleTimeString()}
          </span>
        )}
      </section>

      <TriggerBanners {...panel} />
      <AlertBanners {...panel} />
      <CheckInBanner {...panel} />
      <DeliveryFailures {...panel} />
      <RecommendedAnnouncements {...panel} onOpenComms={() => setTab("Comms")} />

      {refreshError}

      <nav className="mb-3 flex gap-1 overflow-x-auto overscroll-x-contain border-b border-neutral-200 dark:border-neutral-800" role="tablist">
        {TABS.map((t) => (
          <button
            key={t}
            id={`room-tab-${t}`}
            role="tab"
            aria-selected={tab === t}
            aria-controls="room-tabpanel"
            onClick={() => setTab(t)}
            className={`-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-1.5 text-sm pointer-coarse:min-h-11 max-sm:min-h-11 ${tab === t ? "border-blue-700 font-medium text-blue-800 dark:text-blue-300" : "border-transparent text-neutral-600 hover:text-neutral-900 dark:text-neutral-400"}`}
          >
            {t}
          </button>
        ))}
      </nav>

      <div role="tabpanel" id="room-tabpanel" aria-labelledby={`room-tab-${tab}`}>
      {tab === "Now" && <NowView {...panel} onOpenTab={(t) => setTab(t as Tab)} />}
      {tab === "Plan" && <PlanView {...panel} />}
      {tab === "Metrics" && <MetricsPanel {...panel} />}
      {tab === "Traffic" && <TrafficPanel {...panel} showShift={false} />}
      {tab === "Timeline" && <TimelinePanel {...panel} />}
      {tab === "Decisions" && <DecisionsPanel {...panel} />}
      {tab === "Contacts" && <ContactsPanel {...panel} />}
      {tab === "Risks" && <RisksPanel {...panel} />}
      {tab === "Comms" && <CommsPanel {...panel} />}
      {tab === "Audit" && <AuditPanel cutoverId={c.id} timeZone={c.timeZone} />}
      </div>
      {helpDialog}
      {regions}
    </main>
    </RoomEventsContext.Provider>
  );
}
