// The logged-in user, shared by every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Role } from './types';

export interface Session {
  me: Me | null;
  setMe: (me: Me | null) => void;
}

export const SessionContext = createContext<Session>({ me: null, setMe: () => {} });

export const useSession = () => useContext(SessionContext);

export function homeFor(role: Role | undefined): string {
  if (role === 'tasker') return '/work';
  if (role === 'requester') return '/projects';
  if (role === 'operator') return '/operator';
  return '/login';
}
