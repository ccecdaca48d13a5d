// What every panel of the room receives. Panels are presentational: they read the cutover state
// and call `run`, which goes through the one server action (lib/actions/room.ts).
import type { ActionResult } from "@/lib/actions/room";
import type { Action } from "@/lib/domain/permissions";
import type { CommandInput, CommandName } from "@/lib/services/commands";
import type { CutoverStateJson } from "@/lib/services/cutover-read";

export type RunCommand = <N extends CommandName>(name: N, input: CommandInput<N>) => Promise<ActionResult>;

export interface PanelProps {
  cutover: CutoverStateJson;
  run: RunCommand;
  /** Wall time in ms, ticking once a second. */
  now: number;
  /** The permission table applied to my roles in this cutover. */
  can: (action: Action) => boolean;
}
