import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { withSignInThrottle } from "@/lib/auth/throttle";

const handler = NextAuth(authOptions);
// Password attempts are counted per account and address (lib/auth/throttle.ts).
const POST = withSignInThrottle(handler as (req: Request, ctx: unknown) => Promise<Response>);
export { handler as GET, POST };
