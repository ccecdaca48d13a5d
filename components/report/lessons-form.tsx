"use client";
// The team's lessons learned: three texts saved through the report.lessons command, with the
// version read so that two people editing at once do not overwrite each other silently. In print
// only the texts show.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { roomAction } from "@/lib/actions/room";
import { ErrorNote } from "@/components/ui/error-note";
import { INPUT_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/ui/styles";

const FIELDS = [
  ["wentWell", "What went well"],
  ["wentWrong", "What went wrong"],
  ["actions", "Actions"],
] as const;
type Key = (typeof FIELDS)[number][0];

export function LessonsForm({ cutoverId, lessons, canWrite }: { cutoverId: string; lessons: Record<Key, string> & { version: number; updatedAt: string | null; updatedBy: string | null }; canWrite: boolean }) {
  const router = useRouter();
  const [text, setText] = useState<Record<Key, string>>({ wentWell: lessons.wentWell, wentWrong: lessons.wentWrong, actions: lessons.actions });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function save() {
    setBusy(true);
    setSaved(false);
    const r = await roomAction("report.lessons", { cutoverId, ...text, version: lessons.version });
    setBusy(false);
    setError(r.ok ? null : r.message);
    if (r.ok) {
      setSaved(true);
      router.refresh();
    }
  }

  return (
    <div>
      {lessons.updatedAt && (
        <p className="mb-2 text-xs text-muted" data-testid="lessons-edited">
          Last edited by {lessons.updatedBy ?? "—"} at {lessons.updatedAt}.
        </p>
      )}
      {FIELDS.map(([key, label]) => (
        <div key={key} className="report-keep mb-3">
          <h3 className="text-sm font-medium">{label}</h3>
          {canWrite ? (
            <textarea
              aria-label={label}
              data-testid={`lessons-${key}`}
              className={`${INPUT_CLASS} mt-1 block h-24 w-full print:hidden`}
              value={text[key]}
              maxLength={5000}
              onChange={(e) => setText({ ...text, [key]: e.target.value })}
            />
          ) : null}
          <p className={`whitespace-pre-wrap text-sm ${canWrite ? "hidden print:block" : ""}`} data-testid={`lessons-text-${key}`}>
            {text[key].trim() || "Not filled in."}
          </p>
        </div>
      ))}
      {canWrite && (
        <div className="flex items-center gap-2 print:hidden">
          <button type="button" className={PRIMARY_BUTTON_CLASS} disabled={busy} onClick={() => void save()} data-testid="lessons-save">
            {busy ? "Saving…" : "Save lessons"}
          </button>
          {saved && !error && (
            <span className="text-sm text-green-700 dark:text-green-300" data-testid="lessons-saved">
              Saved
            </span>
          )}
        </div>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
