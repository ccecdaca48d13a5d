"use client";
// The audit log, newest first, filterable by action and person, paged backwards by id. Its query
// key sits under the cutover's key, so every live event refetches it.
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { TextField } from "@/components/ui/field";
import type { AuditRow } from "@/lib/services/audit-read";
import { BUTTON_CLASS, PANEL_CLASS, compactJson, formatUtc, formatWallTime, roleLabel } from "../shared/format";
import { ExportLinks, PanelNote } from "../shared/parts";
import { cutoverQueryKey } from "../shared/use-live-cutover";
import { TEXT } from "@/lib/domain/limits";

const PAGE_SIZE = 50;

type Filters = { action: string; actor: string };

async function fetchAudit(cutoverId: string, filters: Filters, before: string | undefined): Promise<AuditRow[]> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.action) params.set("action", filters.action);
  if (filters.actor) params.set("actor", filters.actor);
  if (before) params.set("before", before);
  const res = await fetch(`/api/v1/cutovers/${encodeURIComponent(cutoverId)}/audit?${params}`, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `Could not load the audit log (HTTP ${res.status})`);
  }
  return ((await res.json()) as { events: AuditRow[] }).events;
}

/** The value after the user stopped typing for `ms`, so each keystroke is not a request. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Change({ value }: { value: unknown }) {
  const c = compactJson(value);
  return (
    <code className="break-all rounded bg-neutral-100 px-1 text-xs dark:bg-neutral-800" title={c.truncated ? c.full.slice(0, 2000) : undefined}>
      {c.text}
    </code>
  );
}

export function AuditPanel({ cutoverId, timeZone }: { cutoverId: string; /** Times are shown in this zone (the cutover's); default: the browser's. */ timeZone?: string }) {
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const filters: Filters = { action: useDebounced(action.trim(), 250), actor: useDebounced(actor.trim(), 250) };

  const query = useInfiniteQuery({
    queryKey: [...cutoverQueryKey(cutoverId), "audit", filters],
    queryFn: ({ pageParam }) => fetchAudit(cutoverId, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    // A full page may have older events behind it; the last id is where the next page starts.
    getNextPageParam: (last) => (last.length === PAGE_SIZE ? last[last.length - 1].id : undefined),
    placeholderData: keepPreviousData,
  });

  // Pages are refetched one after another on each live event; an id seen twice is shown once.
  const seen = new Set<string>();
  const events = (query.data?.pages ?? []).flat().filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  const filtered = filters.action !== "" || filters.actor !== "";

  return (
    <section aria-labelledby="audit-heading" className={PANEL_CLASS}>
      <header className="flex flex-wrap items-end justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="audit-heading" className="font-semibold">
          Audit log
        </h2>
        <div className="flex flex-wrap gap-2 text-sm">
          <TextField label="Filter by action" type="search" value={action} onChange={(e) => setAction(e.target.value)} maxLength={TEXT.short} placeholder="e.g. decision" className="w-44" />
          <TextField label="Filter by person" type="search" value={actor} onChange={(e) => setActor(e.target.value)} maxLength={TEXT.name} placeholder="name" className="w-44" />
          <ExportLinks cutoverId={cutoverId} what="audit" label="audit log" />
        </div>
      </header>

      <div className="px-3">
        <ErrorNote message={query.error ? query.error.message : null} testId="audit-error" />
      </div>

      {query.isPending ? (
        <PanelNote role="status">Loading the audit log…</PanelNote>
      ) : events.length === 0 ? (
        <PanelNote testId="audit-empty">{filtered ? "No events match these filters." : "No events yet: every change in this cutover will be listed here."}</PanelNote>
      ) : (
        <DataTable
          caption="Audit events, newest first"
          columns={["Time", "Who", "Role", "Action", "Subject", { label: "Change", edge: true }]}
          className={query.isPlaceholderData ? "opacity-60" : undefined}
          busy={query.isFetching}
        >
          {events.map((e) => (
            <tr key={e.id} data-testid="audit-event" data-event-id={e.id} data-action={e.action} className="align-top">
              <td className="whitespace-nowrap px-3 py-1.5">
                <time dateTime={e.at} title={formatUtc(e.at)} className="tabular">
                  {formatWallTime(e.at, timeZone, undefined, true)}
                </time>
                {e.rehearsal && <span className="ml-1.5 rounded bg-purple-100 px-1 text-xs text-purple-800 dark:bg-purple-950 dark:text-purple-200">REHEARSAL</span>}
              </td>
              <td className="px-2 py-1.5" data-testid="audit-actor">
                {e.actorName}
              </td>
              <td className="whitespace-nowrap px-2 py-1.5 text-neutral-600 dark:text-neutral-300" data-testid="audit-role">
                {roleLabel(e.role)}
              </td>
              <td className="whitespace-nowrap px-2 py-1.5 font-mono text-xs" data-testid="audit-action">
                {e.action}
              </td>
              <td className="px-2 py-1.5 font-mono text-xs text-neutral-600 dark:text-neutral-300">{e.subject}</td>
              <td className="px-3 py-1.5" data-testid="audit-change">
                {e.before === null && e.after === null ? (
                  <span className="text-muted">—</span>
                ) : (
                  <span className="inline-flex flex-wrap items-baseline gap-1">
                    {e.before !== null && <Change value={e.before} />}
                    {e.before !== null && e.after !== null && (
                      <>
                        <span aria-hidden>→</span>
                        <span className="sr-only">changed to</span>
                      </>
                    )}
                    {e.before === null && <span className="text-xs text-muted">new:</span>}
                    {e.after !== null ? <Change value={e.after} /> : <span className="text-xs text-muted">(removed)</span>}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      {query.hasNextPage && (
        <div className="border-t border-neutral-200 px-3 py-2 dark:border-neutral-800">
          <button type="button" className={BUTTON_CLASS} disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Load older"}
          </button>
        </div>
      )}
    </section>
  );
}
