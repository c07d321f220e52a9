// Which list the right-hand side shows beside the channel (a thread, when one is open, takes the
// place over it). Kept apart from the main store: only the layout and the buttons that open
// a list read it.
import {useSyncExternalStore} from 'react';

export type PanelKind = 'pinned' | 'saved' | 'members' | 'files' | 'search' | 'mentions';

export interface Panel {
    kind: PanelKind;
    /** The channel the pinned, files or members list belongs to. */
    channelId: string;
    /** What a search (or the recent-mentions search) looks for. */
    terms?: string;
}

let current: Panel | null = null;
const listeners = new Set<() => void>();

export function openPanel(panel: Panel | null): void {
    current = panel;
    listeners.forEach((listener) => listener());
}

/** Opens the list, or closes it when the same one is already open (the header buttons toggle). */
export function togglePanel(panel: Panel): void {
    openPanel(current?.kind === panel.kind && current.channelId === panel.channelId && current.terms === panel.terms ? null : panel);
}

export function currentPanel(): Panel | null {
    return current;
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

export function usePanel(): Panel | null {
    return useSyncExternalStore(subscribe, currentPanel);
}
