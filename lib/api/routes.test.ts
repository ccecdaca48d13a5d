// The route table: the README's URLs resolve to the right rows with decoded parameters, a
// malformed segment is a 400, every row has its Next route file and every route file is a row.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { isCommandName } from "@/lib/services/commands";
import { matchRoute, requestIdOf, ROUTES } from "./routes";

const C = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";
const I = "0e8f6a52-8f9d-4a57-9a4e-111111111111";

describe("route table", () => {
  it("resolves the documented URLs", () => {
    const cases: [string, string, string | undefined, Record<string, string>][] = [
      ["GET", "/api/v1/cutovers", undefined, {}],
      ["POST", "/api/v1/cutovers", "cutover.create", {}],
      ["GET", `/api/v1/cutovers/${C}`, undefined, { cutoverId: C }],
      ["POST", `/api/v1/cutovers/${C}/items/${I}/signoff`, "item.sign_off", { cutoverId: C, itemId: I }],
      ["POST", `/api/v1/cutovers/${C}/items/${I}/undo`, "item.undo", { cutoverId: C, itemId: I }],
      ["POST", `/api/v1/cutovers/${C}/items/${I}/not-applicable`, "item.not_applicable", { cutoverId: C, itemId: I }],
      ["POST", `/api/v1/cutovers/${C}/decisions/${I}/votes`, "decision.vote", { cutoverId: C, decisionId: I }],
      ["GET", `/api/v1/cutovers/${C}/audit`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/export`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/metrics`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/traffic`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/deliveries`, undefined, { cutoverId: C }],
      ["POST", `/api/v1/cutovers/${C}/traffic/shift`, "traffic.shift", { cutoverId: C }],
      ["POST", `/api/v1/cutovers/${C}/rollback`, "rollback.execute", { cutoverId: C }],
      ["POST", "/api/v1/commands/risk.save", ":name", { name: "risk.save" }],
      ["GET", `/api/v1/cutovers/${C}/report`, undefined, { cutoverId: C }],
      ["GET", "/api/v1/templates", undefined, {}],
      ["GET", `/api/v1/cutovers/${C}/status-page`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/announcements`, undefined, { cutoverId: C }],
      ["POST", `/api/v1/alertmanager/${C}`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/alerts`, undefined, { cutoverId: C }],
      ["GET", `/api/v1/cutovers/${C}/checkins`, undefined, { cutoverId: C }],
      ["POST", `/api/v1/cutovers/${C}/checkins/${I}/acknowledge`, "checkin.acknowledge", { cutoverId: C, checkInId: I }],
      ["POST", `/api/v1/cutovers/${C}/incidents/${I}/acknowledge`, "incident.acknowledge", { cutoverId: C, incidentId: I }],
    ];
    for (const [method, url, command, params] of cases) {
      const hit = matchRoute(method, url);
      expect(hit, `${method} ${url}`).not.toBeNull();
      expect(hit!.route.command).toBe(command);
      expect(hit!.params).toEqual(params);
    }
    for (const r of ROUTES) if (r.command && r.command !== ":name") expect(isCommandName(r.command), r.command).toBe(true);
  });

  it("decodes parameters, refuses malformed or oversized ones, and matches nothing else", () => {
    expect(matchRoute("POST", "/api/v1/commands/risk%2Esave")!.params).toEqual({ name: "risk.save" });
    for (const bad of ["%E0%A4%A", "%", "x".repeat(201)]) {
      expect(() => matchRoute("POST", `/api/v1/cutovers/${bad}/rollback`)).toThrow(AppError);
    }
    expect(matchRoute("DELETE", `/api/v1/cutovers/${C}`)).toBeNull();
    expect(matchRoute("POST", `/api/v1/cutovers/${C}/rollback/extra`)).toBeNull();
    expect(matchRoute("GET", "/api/v1/cutovers/")).toBeNull();
  });

  it("keeps a caller's request id only when it is a short plain token", () => {
    expect(requestIdOf("ci-run-42.step_3")).toBe("ci-run-42.step_3");
    for (const bad of ["", "a".repeat(101), "id with spaces", "x\ny", null, undefined, ["a", "b"]]) expect(requestIdOf(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("every row has its Next route file, and every route file under app/api/v1 is a row of the table", () => {
    const root = path.resolve(__dirname, "../../app/api/v1");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name === "route.ts") files.push(p);
      }
    };
    walk(root);
    const declared = files.flatMap((file) => {
      const urlPath = `/api/v1/${path.relative(root, path.dirname(file)).split(path.sep).join("/")}`.replace(/\/$/, "").replace(/\[(\w+)\]/g, ":$1");
      const text = readFileSync(file, "utf8");
      const rows = [...text.matchAll(/export const (GET|POST) = tableRoute\("(GET|POST)", "([^"]+)"\)/g)];
      // Each file serves only its own path, each exported method through the table.
      expect(rows.length, file).toBe([...text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].length);
      for (const [, exported, method, p] of rows) {
        expect(exported).toBe(method);
        expect(p, file).toBe(urlPath);
      }
      return rows.map(([, , method, p]) => `${method} ${p}`);
    });
    expect(declared.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
