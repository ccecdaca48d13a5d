// The signed-in user as every caller sees it, whether they came with a session cookie or an API token.
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
}
