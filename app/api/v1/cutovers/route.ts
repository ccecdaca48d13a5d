import { apiRoute } from "@/lib/api/route";
import { listCutovers } from "@/lib/services/cutover-read";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ cutovers: await listCutovers(actor) }));
