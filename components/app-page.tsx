import type { ReactNode } from "react";
import { AppHeader } from "./app-header";

/**
 * A signed-in page of the app: the header, then the page's column under its title, with an
 * optional line or two of introduction. `width` is the column's max-width class.
 */
export function AppPage({ user, title, intro, width, children }: { user: Parameters<typeof AppHeader>[0]["user"]; title: ReactNode; intro?: ReactNode; width: string; children: ReactNode }) {
  return (
    <>
      <AppHeader user={user} />
      <main className={`mx-auto ${width} p-6`}>
        <h1 className={intro ? "mb-2 text-2xl font-semibold" : "mb-4 text-2xl font-semibold"}>{title}</h1>
        {intro && <p className="mb-4 text-sm text-muted">{intro}</p>}
        {children}
      </main>
    </>
  );
}
