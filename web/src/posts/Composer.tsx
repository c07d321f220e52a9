import {useEffect, useRef, useState, type KeyboardEvent} from 'react';

import {CONFIRM_ABOVE_MEMBERS, channelWideMention, confirmsChannelWide} from '../composer/channelWide';
import {isCommand, runCommand} from '../composer/commands';
import {draftOf, draftSent, loadDrafts, setDraft} from '../composer/drafts';
import {SuggestionList} from '../composer/SuggestionList';
import {useAutocomplete} from '../composer/useAutocomplete';
import {LazyEmojiPicker} from '../emoji/PickerButton';
import {canSend, isUploading, readyFileIds} from '../files/queue';
import {AttachButton, UploadChips} from '../files/UploadChips';
import {useUploads} from '../files/useUploads';
import {t} from '../i18n/i18n';
import {postingError} from '../moderation/postingError';
import {sendPost} from '../store/actions';
import {loadMemberCount} from '../store/channelActions';
import {lastPostBy} from '../store/posts';
import {store, useAppState} from '../store/state';
import {TypingIndicator} from '../status/TypingIndicator';
import {noteTyping, typingSent} from '../status/typingActions';
import {Dialog} from './Dialog';
import {Icon} from './icons';

export {forgetDrafts} from '../composer/drafts';

interface Props {
    channelId: string;
    rootId?: string;
    label: string;
    autoFocus?: boolean;
}

/**
 * Enter sends, Shift+Enter breaks the line, Up in an empty box edits your last message; @, ~,
 * : and a leading / offer people, channels, emoji and commands.
 */
export function Composer({channelId, rootId = '', label, autoFocus = false}: Props) {
    const teamId = useAppState((state) => state.view.teamId);
    const [text, setTextState] = useState(() => draftOf(channelId, rootId));
    const setText = (value: string) => {
        setTextState(value);
        if (value) {
            noteTyping(channelId, rootId);
        }
        setDraft(channelId, rootId, value);
    };
    const [error, setError] = useState('');
    const [sending, setSending] = useState(false);
    const [picking, setPicking] = useState(false);
    const [confirming, setConfirming] = useState<{mention: string; count: number} | null>(null);
    const box = useRef<HTMLTextAreaElement>(null);
    const root = useRef<HTMLDivElement>(null);
    const files = useUploads(channelId, root, setError);
    const where = {teamId, channelId, rootId};
    const autocomplete = useAutocomplete(box, setText, where);

    // A draft saved on another device shows up here, unless something was typed meanwhile.
    useEffect(() => {
        if (!teamId) {
            return;
        }
        loadDrafts(teamId).then(() => {
            const saved = draftOf(channelId, rootId);
            if (saved && box.current?.value === '') {
                setTextState(saved);
            }
        }, console.error);
    }, [teamId, channelId, rootId]);

    /** Whether a message that notifies a whole channel of more than five must be confirmed first. */
    async function needsConfirming(message: string): Promise<{mention: string; count: number} | null> {
        const mention = isCommand(message) ? null : channelWideMention(message);
        if (!mention || !(await confirmsChannelWide())) {
            return null;
        }
        const count = await loadMemberCount(channelId).catch(() => 0);
        // The question counts the others: everyone the message notifies.
        return count > CONFIRM_ABOVE_MEMBERS ? {mention, count: count - 1} : null;
    }

    async function send(confirmed = false) {
        const message = text;
        // Files wait for their uploads; a message of files alone is fine.
        if (!canSend(message, files.uploads) || sending) {
            return;
        }
        setConfirming(null);
        if (!confirmed) {
            const question = await needsConfirming(message);
            if (question) {
                setConfirming(question);
                return;
            }
        }
        const fileIds = readyFileIds(files.uploads);
        setSending(true);
        setTextState('');
        draftSent(channelId, rootId);
        typingSent(channelId, rootId);
        setError('');
        try {
            if (isCommand(message) && fileIds.length === 0) {
                await runCommand(message, where);
            } else {
                await sendPost(channelId, message, rootId, fileIds);
                files.clear();
            }
        } catch (failure) {
            setText(message);
            setError(await postingError(failure));
        } finally {
            setSending(false);
        }
    }

    function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
        if (event.nativeEvent.isComposing || autocomplete.onKeyDown(event)) {
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

    function insertEmoji(name: string) {
        setPicking(false);
        const textarea = box.current;
        const at = textarea?.selectionStart ?? text.length;
        const before = text.slice(0, at);
        const insert = `${before && !/\s$/.test(before) ? ' ' : ''}:${name}: `;
        setText(before + insert + text.slice(at));
        requestAnimationFrame(() => {
            textarea?.focus();
            textarea?.setSelectionRange(at + insert.length, at + insert.length);
        });
    }

    const active = autocomplete.open ? autocomplete.optionId(autocomplete.active) : undefined;
    return (
        <div className='composer' ref={root}>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <SuggestionList autocomplete={autocomplete}/>
            <textarea ref={box} aria-label={label} placeholder={label} dir='auto' rows={1} value={text} autoFocus={autoFocus}
                role='combobox' aria-autocomplete='list' aria-expanded={autocomplete.open}
                aria-controls={autocomplete.open ? autocomplete.listId : undefined} aria-activedescendant={active}
                onChange={(e) => {
                    setText(e.target.value);
                    autocomplete.update();
                }}
                onSelect={autocomplete.update} onKeyDown={onKeyDown} onPaste={files.onPaste}/>
            <UploadChips uploads={files.uploads} onRemove={files.remove}/>
            <AttachButton onFiles={files.add}/>
            <button type='button' className='icon-button emoji-button' aria-label={t('composer.emoji')} title={t('composer.emoji')}
                onClick={() => setPicking(true)}><Icon name='react'/></button>
            <TypingIndicator channelId={channelId} parentId={rootId}/>
            <button type='button' className='primary send-button' onClick={() => void send()} disabled={!canSend(text, files.uploads)}
                aria-busy={isUploading(files.uploads)}>
                {t('composer.send')}
            </button>
            {confirming && (
                <Dialog title={t('channelWide.title')} onClose={() => {
                    setConfirming(null);
                    box.current?.focus();
                }}>
                    <p>{t('channelWide.body', {mention: confirming.mention, count: confirming.count})}</p>
                    <div className='dialog-buttons'>
                        <button type='button' onClick={() => setConfirming(null)}>{t('dialog.cancel')}</button>
                        <button type='button' className='primary' onClick={() => void send(true)}>{t('channelWide.send')}</button>
                    </div>
                </Dialog>
            )}
            {picking && <LazyEmojiPicker title={t('composer.emoji')} onPick={insertEmoji} onClose={() => setPicking(false)}/>}
        </div>
    );
}
