"use client";

import { createContext, type ReactNode, useContext } from "react";

/**
 * The agent's route names, handed down by the (server) page: the client must not import the
 * agent's registry, which would pull the tools into the browser bundle.
 */
const RoutesContext = createContext<readonly string[]>([]);

export function RoutesProvider({ routes, children }: { routes: readonly string[]; children: ReactNode }) {
  return <RoutesContext.Provider value={routes}>{children}</RoutesContext.Provider>;
}

export function useRoutes(): readonly string[] {
  return useContext(RoutesContext);
}
