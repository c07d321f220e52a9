import {useState, type KeyboardEvent} from 'react';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {sendPost} from '../store/actions';
import {lastPostBy} from '../store/posts';
import {store} from '../store/state';

interface Props {
    channelId: string;
    rootId?: string;
    label: string;
    autoFocus?: boolean;
}

// Unsent text per channel and thread, kept while the page is open.
const drafts = new Map<string, string>();

/** On sign-out: the next person at this browser must not find them. */
export function forgetDrafts(): void {
    drafts.clear();
}

/** Enter sends, Shift+Enter breaks the line, Up in an empty box edits your last message. */
export function Composer({channelId, rootId = '', label, autoFocus = false}: Props) {
    const draftKey = `${channelId}:${rootId}`;
    const [text, setTextState] = useState(() => drafts.get(draftKey) ?? '');
    const setText = (value: string) => {
        setTextState(value);
        if (value) {
            drafts.set(draftKey, value);
        } else {
            drafts.delete(draftKey);
        }
    };
    const [error, setError] = useState('');
    const [sending, setSending] = useState(false);

    async function send() {
        const message = text;
        if (message.trim() === '' || sending) {
            return;
        }
        setSending(true);
        setText('');
        setError('');
        try {
            await sendPost(channelId, message, rootId);
        } catch (failure) {
            setText(message);
            setError(errorMessage(failure));
        } finally {
            setSending(false);
        }
    }

    function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
        if (event.nativeEvent.isComposing) {
            return;
        }
        if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
            event.preventDefault();
            void send();
        } else if (event.key === 'ArrowUp' && text === '' && !event.shiftKey) {
            const state = store.get();
            const ids = rootId ? state.threads[rootId] ?? [] : state.channelPosts[channelId]?.order ?? [];
            const mine = lastPostBy(state, ids, state.me!.id);
            if (mine) {
                event.preventDefault();
                store.update((s) => ({...s, editingPostId: mine.id}));
            }
        }
    }

    return (
        <div className='composer'>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <textarea aria-label={label} placeholder={label} dir='auto' rows={1} value={text} autoFocus={autoFocus}
                onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown}/>
            <button type='button' className='primary send-button' onClick={() => void send()} disabled={text.trim() === ''}>
                {t('composer.send')}
            </button>
        </div>
    );
}
