// What a cutover exports and in which formats, the first being the default. Shared by the export
// query (lib/domain/export.ts) and the room's download links, which must offer exactly these.
export const EXPORT_FORMATS = { plan: ["markdown", "json"], audit: ["csv", "json"], timeline: ["csv", "json"] } as const;
export type ExportWhat = keyof typeof EXPORT_FORMATS;
export const EXPORT_KINDS = Object.keys(EXPORT_FORMATS) as [ExportWhat, ...ExportWhat[]];
export const FORMAT_LABELS = { markdown: "Markdown", csv: "CSV", json: "JSON" } as const;
