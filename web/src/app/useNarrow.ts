import {useSyncExternalStore} from 'react';

// Below this width one pane shows at a time (sidebar, channel or thread), as on a phone.
const NARROW = '(max-width: 700px)';

// One query for the page: React reads the snapshot on every render of every user of the hook.
let query: MediaQueryList | null = null;

function narrowQuery(): MediaQueryList {
    query ??= window.matchMedia(NARROW);
    return query;
}

function subscribe(listener: () => void): () => void {
    const list = narrowQuery();
    list.addEventListener('change', listener);
    return () => list.removeEventListener('change', listener);
}

export function useNarrow(): boolean {
    return useSyncExternalStore(subscribe, () => narrowQuery().matches);
}
