import {deferred} from '../app/deferred';

/** The emoji picker as a dialog, loaded on first use; the full emoji table arrives only when
 * someone first opens it. */
export const LazyEmojiPicker = deferred(() => import('./EmojiPicker').then((m) => m.default));
