/**
 * On a phone a table's rows turn into cards (app/globals.css, `.table-stack`): each cell is a line
 * with its column's name on the left. The names travel as CSS custom properties on the table,
 * `--col-N` (a CSS string) and `--col-N-pad` (the room the name needs); a column without a visible
 * name gets neither, so its cells take the whole width.
 */

/** The stylesheet has rules for this many columns. */
export const STACK_COLUMNS = 8;

/** Room for a name on the left of a cell, the cell's own padding included. */
const NAME_ROOM = "8.5rem";

export type StackColumn = { label: string; hidden?: boolean };

/** A CSS string literal for `content`: quotes, backslashes and line breaks escaped. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, " ")}"`;
}

/** The custom properties that name a table's columns on a phone. */
export function stackColumnStyle(columns: readonly StackColumn[]): Record<`--col-${number}${"" | "-pad"}`, string> {
  if (columns.length > STACK_COLUMNS) {
    throw new Error(`a table has ${columns.length} columns; a phone shows at most ${STACK_COLUMNS} (app/globals.css, .table-stack)`);
  }
  const style: Record<string, string> = {};
  columns.forEach((c, i) => {
    if (c.hidden) return;
    style[`--col-${i + 1}`] = cssString(c.label);
    style[`--col-${i + 1}-pad`] = NAME_ROOM;
  });
  return style;
}
