import {useSyncExternalStore} from 'react';

// Below this width one pane shows at a time (sidebar, channel or thread), as on a phone.
const NARROW = '(max-width: 700px)';

function subscribe(listener: () => void): () => void {
    const query = window.matchMedia(NARROW);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
}

export function useNarrow(): boolean {
    return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches);
}
