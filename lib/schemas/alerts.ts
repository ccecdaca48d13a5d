// Inputs of the Alertmanager token commands and the alerts list (lib/services/alerts.ts).
import { z } from "zod";
import { id } from "./room";

export const alertTokenCreateInput = z.object({ cutoverId: id });
export const alertTokenRevokeInput = z.object({ cutoverId: id, tokenId: id });
export const alertsListInput = z.object({ cutoverId: id });
