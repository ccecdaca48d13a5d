// Preloaded before the server (`node --import tsx --import ./scripts/lab/register.ts …`, what
// `WARROOM_LAB=1 npm start` runs): registers the lab as a start hook of the server.
import { registerStartHook } from "../../lib/server/start-hooks";
import { startLabForWarRoom } from "./war-room";

registerStartHook(startLabForWarRoom);
