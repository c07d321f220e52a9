import {lazy, Suspense} from 'react';

// The picker and the full emoji table arrive only when someone first opens it.
const EmojiPicker = lazy(() => import('./EmojiPicker'));

/** The emoji picker as a dialog, loaded on first use. */
export function LazyEmojiPicker(props: {title: string; onPick: (name: string) => void; onClose: () => void}) {
    return (
        <Suspense fallback={null}>
            <EmojiPicker {...props}/>
        </Suspense>
    );
}
