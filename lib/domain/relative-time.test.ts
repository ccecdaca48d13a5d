import { describe, expect, it } from "vitest";
import { clockScheduleRelativeTo, formatRelativeLabel, formatTOffset, parsePlannedTime, type PlannedTime } from "./relative-time";

const NY = "America/New_York";
// 10:00 EDT on Sunday 14 June 2026.
const tZero = new Date("2026-06-14T14:00:00Z");
const ctx = { tZero, timeZone: NY };

function at(result: PlannedTime): string {
  if (!result.ok) throw new Error(result.error);
  return result.at.toISOString();
}

describe("parsePlannedTime: relative to T-0", () => {
  const cases: [string, number][] = [
    ["T-72h", -72 * 60],
    ["T-24h", -24 * 60],
    ["T-4h", -4 * 60],
    ["T-1:30", -90],
    ["T+0", 0],
    ["T-0", 0],
    ["T+0:30", 30],
    ["T+24h", 24 * 60],
    ["T+2d", 2 * 24 * 60],
    ["T-90m", -90],
    ["T-1h30m", -90],
    ["T-1h 30min", -90],
    ["T-4", -4 * 60],
    ["t-4h", -4 * 60],
    ["T - 4h", -4 * 60],
    ["T−4h", -4 * 60], // typographic minus from pasted docs
    ["T–2h", -2 * 60], // en dash
    ["  T+0:30  ", 30],
    ["72 hours before", -72 * 60],
    ["24 hours before", -24 * 60],
    ["2 hours before", -2 * 60],
    ["1 hour before", -60],
    ["30 minutes after", 30],
    ["2 days after", 2 * 24 * 60],
    ["72 Hours Before Cutover", -72 * 60],
    ["0 minutes before T-0", 0],
  ];
  it.each(cases)("%j is %d minutes from T-0", (text, minutes) => {
    const r = parsePlannedTime(text, ctx);
    expect(r).toEqual({ ok: true, kind: "relative", offsetMinutes: minutes, at: new Date(tZero.getTime() + minutes * 60_000) });
    // T-0 written either way is plain zero, never -0.
    if (r.ok) expect(Object.is(r.offsetMinutes, -0)).toBe(false);
  });
});

describe("parsePlannedTime: wall clock on the T-0 day in the cutover's zone", () => {
  const cases: [string, string][] = [
    ["06:30 AM", "2026-06-14T10:30:00.000Z"],
    ["6:30 am", "2026-06-14T10:30:00.000Z"],
    ["06:30 a.m.", "2026-06-14T10:30:00.000Z"],
    ["7:00 PM", "2026-06-14T23:00:00.000Z"],
    ["7 PM", "2026-06-14T23:00:00.000Z"],
    ["7:00PM", "2026-06-14T23:00:00.000Z"],
    ["18:45", "2026-06-14T22:45:00.000Z"],
    ["00:00", "2026-06-14T04:00:00.000Z"],
    ["12:00 AM", "2026-06-14T04:00:00.000Z"],
    ["12:30 PM", "2026-06-14T16:30:00.000Z"],
  ];
  it.each(cases)("%j → %s", (text, iso) => {
    const r = parsePlannedTime(text, ctx);
    expect(r.ok && r.kind).toBe("wall_clock");
    expect(at(r)).toBe(iso);
  });

  it("uses the calendar day of T-0 in the zone, not in UTC", () => {
    // 02:00 UTC on the 15th is still 22:00 on the 14th in New York.
    expect(at(parsePlannedTime("06:30 AM", { tZero: new Date("2026-06-15T02:00:00Z"), timeZone: NY }))).toBe(
      "2026-06-14T10:30:00.000Z",
    );
    // 20:00 UTC on the 14th is already 05:00 on the 15th in Tokyo.
    expect(at(parsePlannedTime("06:30", { tZero: new Date("2026-06-14T20:00:00Z"), timeZone: "Asia/Tokyo" }))).toBe(
      "2026-06-14T21:30:00.000Z",
    );
  });

  it("uses the zone's offset on that date (winter vs summer)", () => {
    expect(at(parsePlannedTime("06:30 AM", { tZero: new Date("2026-01-15T15:00:00Z"), timeZone: NY }))).toBe(
      "2026-01-15T11:30:00.000Z",
    );
    expect(at(parsePlannedTime("06:30 AM", { tZero: new Date("2026-03-07T15:00:00Z"), timeZone: NY }))).toBe(
      "2026-03-07T11:30:00.000Z",
    );
  });

  it("uses the offset in force at the wall time, not at T-0, on a DST change day", () => {
    // 8 March 2026: New York jumps from EST to EDT at 02:00. T-0 01:00 EST, target after the jump.
    const dstDay = { tZero: new Date("2026-03-08T06:00:00Z"), timeZone: NY };
    expect(at(parsePlannedTime("01:30 AM", dstDay))).toBe("2026-03-08T06:30:00.000Z");
    expect(at(parsePlannedTime("06:30 AM", dstDay))).toBe("2026-03-08T10:30:00.000Z");
  });

  it("rejects a wall time skipped by the spring-forward jump", () => {
    const berlin = { tZero: new Date("2026-03-29T08:00:00Z"), timeZone: "Europe/Berlin" };
    expect(at(parsePlannedTime("01:30", berlin))).toBe("2026-03-29T00:30:00.000Z");
    expect(at(parsePlannedTime("03:30", berlin))).toBe("2026-03-29T01:30:00.000Z");
    expect(parsePlannedTime("02:30", berlin)).toEqual({
      ok: false,
      error: '"02:30" does not exist on 2026-03-29 in Europe/Berlin (the clocks skip it)',
    });
  });

  it("takes the first occurrence of a wall time repeated by the fall-back", () => {
    const berlin = { tZero: new Date("2026-10-25T08:00:00Z"), timeZone: "Europe/Berlin" };
    expect(at(parsePlannedTime("02:30", berlin))).toBe("2026-10-25T00:30:00.000Z");
    expect(at(parsePlannedTime("03:30", berlin))).toBe("2026-10-25T02:30:00.000Z");
  });

  it("works in UTC and in zones with half-hour offsets", () => {
    expect(at(parsePlannedTime("06:30", { tZero, timeZone: "UTC" }))).toBe("2026-06-14T06:30:00.000Z");
    expect(at(parsePlannedTime("06:30", { tZero, timeZone: "Asia/Kolkata" }))).toBe("2026-06-14T01:00:00.000Z");
  });
});

describe("parsePlannedTime: ISO 8601", () => {
  const cases: [string, string][] = [
    ["2026-06-14T06:30:00-04:00", "2026-06-14T10:30:00.000Z"],
    ["2026-06-14T10:30Z", "2026-06-14T10:30:00.000Z"],
    ["2026-06-14T10:30:00z", "2026-06-14T10:30:00.000Z"],
    ["2026-06-14T12:30:00.250+02:00", "2026-06-14T10:30:00.250Z"],
    ["2026-06-14T16:00:00+0530", "2026-06-14T10:30:00.000Z"],
    ["2026-06-14 10:30:00+00", "2026-06-14T10:30:00.000Z"],
    // Without an offset the cutover's zone applies.
    ["2026-06-14T06:30", "2026-06-14T10:30:00.000Z"],
    ["2026-12-14 06:30", "2026-12-14T11:30:00.000Z"],
  ];
  it.each(cases)("%j → %s", (text, iso) => {
    const r = parsePlannedTime(text, ctx);
    expect(r.ok && r.kind).toBe("absolute");
    expect(at(r)).toBe(iso);
  });
});

describe("parsePlannedTime: errors", () => {
  const bad = [
    "soon",
    "tomorrow morning",
    "T-",
    "T-4x",
    "T-4.5h",
    "T-1:75",
    "T-4h later",
    "4h",
    "7",
    "25:00",
    "13:00 PM",
    "0:30 AM",
    "06:30 XM",
    "3 fortnights before",
    "2026-02-30T10:00Z",
    "2026-06-14T24:00Z",
    "2026-06-14",
    "2026-06-14T10:30+25",
  ];
  it.each(bad)("%j is rejected with the standard message", (text) => {
    expect(parsePlannedTime(text, ctx)).toEqual({
      ok: false,
      error: `Cannot read planned time "${text}": use T-4h, T+0:30, 06:30 AM or an ISO time`,
    });
  });

  it("rejects empty input", () => {
    const r = parsePlannedTime("   ", ctx);
    expect(r.ok).toBe(false);
  });

  it("rejects an unknown time zone and an invalid T-0", () => {
    expect(parsePlannedTime("T-4h", { tZero, timeZone: "Mars/Olympus" })).toEqual({
      ok: false,
      error: 'Unknown time zone "Mars/Olympus"',
    });
    expect(parsePlannedTime("T-4h", { tZero: new Date("nope"), timeZone: NY }).ok).toBe(false);
  });
});

describe("formatTOffset", () => {
  const S = 1000;
  const cases: [number, string][] = [
    [-(42 * 60 + 10) * S, "T-00:42:10"],
    [(65 * 60) * S, "T+01:05:00"],
    [-(3 * 86_400 + 4 * 3600) * S, "T-3d 04:00:00"],
    [0, "T+00:00:00"],
    [-500, "T-00:00:00"],
    [999, "T+00:00:00"],
    [-1500, "T-00:00:01"],
    [86_399_999, "T+23:59:59"],
    [86_400_000, "T+1d 00:00:00"],
    [-(10 * 86_400 + 3661) * S, "T-10d 01:01:01"],
  ];
  it.each(cases)("%d ms → %s", (ms, text) => {
    expect(formatTOffset(ms)).toBe(text);
  });
});

describe("formatRelativeLabel", () => {
  const cases: [number, string][] = [
    [-240, "T-4h"],
    [30, "T+0:30"],
    [-90, "T-1:30"],
    [0, "T+0"],
    [-0, "T+0"],
    [-72 * 60, "T-72h"],
    [24 * 60, "T+24h"],
    [48 * 60, "T+48h"],
    [-5, "T-0:05"],
    [125, "T+2:05"],
    [29.6, "T+0:30"],
  ];
  it.each(cases)("%d min → %s", (minutes, text) => {
    expect(formatRelativeLabel(minutes)).toBe(text);
  });

  it("is read back by parsePlannedTime", () => {
    for (const minutes of [-4320, -1440, -240, -90, -5, 0, 30, 65, 1440, 2880]) {
      const r = parsePlannedTime(formatRelativeLabel(minutes), ctx);
      expect(r.ok && r.offsetMinutes).toBe(minutes);
    }
  });
});

describe("clockScheduleRelativeTo", () => {
  it("keeps the spacing of a day's schedule around the anchor, which becomes T+0", () => {
    expect(clockScheduleRelativeTo(["06:00 AM", "06:30 AM", "07:30 AM", "01:15 PM"], "07:30 AM")).toEqual(["T-1:30", "T-1h", "T+0", "T+5:45"]);
  });

  it("keeps entries that are not clock times, and the whole schedule when the anchor is not one", () => {
    expect(clockScheduleRelativeTo(["T-4h", "06:00", "soon"], "06:00")).toEqual(["T-4h", "T+0", "soon"]);
    expect(clockScheduleRelativeTo(["06:00", "07:00"], "at go-live")).toEqual(["06:00", "07:00"]);
  });

  it("reads back, through parsePlannedTime, to the anchor's T-0 plus the original spacing", () => {
    const tZero = new Date("2026-03-01T15:00:00Z");
    const at = clockScheduleRelativeTo(["06:00 AM", "07:30 AM", "09:00 AM"], "07:30 AM").map((t) => {
      const p = parsePlannedTime(t, { tZero, timeZone: "UTC" });
      return p.ok ? p.at.toISOString() : p.error;
    });
    expect(at).toEqual(["2026-03-01T13:30:00.000Z", "2026-03-01T15:00:00.000Z", "2026-03-01T16:30:00.000Z"]);
  });
});
