import { apiRoute } from "@/lib/api/route";
import { getTrafficView } from "@/lib/services/traffic";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ cutoverId: string }>(async ({ actor, params }) => getTrafficView(actor, { cutoverId: params.cutoverId }));
