import {memo, useState, type KeyboardEvent} from 'react';

import type {Post as PostData} from '@mattermost/types/posts';

import {client, errorMessage} from '../api/client';
import {formatDateTime, formatTime, t} from '../i18n/i18n';
import {openProfile} from '../profile/ProfilePopover';
import {Markdown} from '../markdown/Markdown';
import {EMOJI, QUICK_REACTIONS} from '../markdown/emoji';
import {deletePost, editPost, toggleReaction} from '../store/actions';
import {groupReactions} from '../store/posts';
import {store, useAppState} from '../store/state';
import {Dialog} from './Dialog';
import {Icon} from './icons';
import {LinkPreview} from './LinkPreview';
import {isSystemPost} from './rows';

interface Props {
    post: PostData;
    continuation: boolean;
    /** In the channel view a root shows its reply count; in the thread panel it does not. */
    inThread?: boolean;
}

export const Post = memo(function Post({post, continuation, inThread = false}: Props) {
    const author = useAppState((state) => state.users[post.user_id]);
    const me = useAppState((state) => state.me!);
    const editing = useAppState((state) => state.editingPostId === post.id);
    const highlighted = useAppState((state) => state.highlightPostId === post.id);
    const [confirmingDelete, setConfirmingDelete] = useState(false);
    const [reacting, setReacting] = useState(false);
    const [error, setError] = useState('');
    const mine = post.user_id === me.id;
    const system = isSystemPost(post);
    const name = author?.username ?? '…';

    const run = (work: Promise<unknown>) => work.catch((failure) => setError(errorMessage(failure)));
    const openThread = () => store.update((state) => ({...state, view: {...state.view, threadId: post.root_id || post.id}}));

    if (system) {
        return (
            <article className='post system-post' data-post-id={post.id}>
                <p dir='auto'>{post.message}</p>
            </article>
        );
    }
    const className = ['post', continuation ? 'continuation' : '', highlighted ? 'highlighted' : ''].filter(Boolean).join(' ');
    return (
        <article className={className} data-post-id={post.id} aria-label={t('post.label', {name, time: formatDateTime(post.create_at)})}>
            {!continuation && (
                <button type='button' className='avatar-button' tabIndex={-1} aria-hidden='true'
                    onClick={(e) => openProfile(post.user_id, e.currentTarget)}>
                    <img className='avatar' alt='' loading='lazy' width={36} height={36}
                        src={client.getProfilePictureUrl(post.user_id, author?.last_picture_update ?? 0)}/>
                </button>
            )}
            <div className='post-body'>
                {continuation ? (
                    <time className='post-time continuation-time' dateTime={new Date(post.create_at).toISOString()} title={formatDateTime(post.create_at)}>
                        {formatTime(post.create_at)}
                    </time>
                ) : (
                    <header className='post-header'>
                        <button type='button' className='post-author' aria-haspopup='dialog' title={t('profile.open', {name})}
                            onClick={(e) => openProfile(post.user_id, e.currentTarget)}>{name}</button>
                        <time className='post-time' dateTime={new Date(post.create_at).toISOString()} title={formatDateTime(post.create_at)}>
                            {formatTime(post.create_at)}
                        </time>
                    </header>
                )}
                {editing ? <EditBox post={post}/> : (
                    <div className='post-text' dir='auto'>
                        <Markdown text={post.message} highlight={new Set([me.username, 'here', 'channel', 'all'])}/>
                        {post.edit_at > 0 && <span className='edited' title={formatDateTime(post.edit_at)}>{t('post.edited')}</span>}
                    </div>
                )}
                {!editing && <LinkPreview post={post} mine={mine}/>}
                <Reactions post={post} myId={me.id}/>
                {!inThread && (post.reply_count ?? 0) > 0 && (
                    <button type='button' className='reply-count link-button' onClick={openThread}>
                        {t('post.replies', {count: post.reply_count})}
                    </button>
                )}
                {error && <p className='form-error' role='alert'>{error}</p>}
            </div>
            <div className='post-actions' role='toolbar' aria-label={t('post.actions')}>
                <button type='button' aria-label={t('post.react')} title={t('post.react')} aria-expanded={reacting}
                    onClick={() => setReacting(!reacting)}><Icon name='react'/></button>
                <button type='button' aria-label={t('post.reply')} title={t('post.reply')} onClick={openThread}><Icon name='reply'/></button>
                {mine && (
                    <button type='button' aria-label={t('post.edit')} title={t('post.edit')}
                        onClick={() => store.update((state) => ({...state, editingPostId: post.id}))}><Icon name='edit'/></button>
                )}
                {mine && (
                    <button type='button' aria-label={t('post.delete')} title={t('post.delete')} onClick={() => setConfirmingDelete(true)}><Icon name='delete'/></button>
                )}
                {reacting && (
                    <div className='reaction-picker' role='group' aria-label={t('post.react')}>
                        {QUICK_REACTIONS.map((emoji) => (
                            <button key={emoji} type='button' aria-label={t('post.reactWith', {emoji})}
                                onClick={() => {
                                    setReacting(false);
                                    void run(toggleReaction(post, emoji));
                                }}>{EMOJI[emoji]}</button>
                        ))}
                    </div>
                )}
            </div>
            {confirmingDelete && (
                <Dialog title={t('post.deleteTitle')} onClose={() => setConfirmingDelete(false)}>
                    <p>{t('post.deleteConfirm')}</p>
                    <div className='dialog-buttons'>
                        <button type='button' onClick={() => setConfirmingDelete(false)}>{t('dialog.cancel')}</button>
                        <button type='button' className='danger' onClick={() => {
                            setConfirmingDelete(false);
                            void run(deletePost(post));
                        }}>{t('post.deleteSubmit')}</button>
                    </div>
                </Dialog>
            )}
        </article>
    );
});

function Reactions({post, myId}: {post: PostData; myId: string}) {
    const groups = groupReactions(post.metadata?.reactions, myId);
    if (groups.length === 0) {
        return null;
    }
    return (
        <div className='reactions'>
            {groups.map((group) => (
                <button key={group.emoji} type='button' className={group.mine ? 'reaction mine' : 'reaction'} aria-pressed={group.mine}
                    aria-label={t('post.reaction', {emoji: group.emoji, count: group.count})}
                    onClick={() => void toggleReaction(post, group.emoji).catch(console.error)}>
                    <span aria-hidden='true'>{EMOJI[group.emoji] ?? `:${group.emoji}:`}</span> <span>{group.count}</span>
                </button>
            ))}
        </div>
    );
}

function stopEditing() {
    store.update((state) => ({...state, editingPostId: ''}));
}

function EditBox({post}: {post: PostData}) {
    const [text, setText] = useState(post.message);
    const [error, setError] = useState('');

    async function save() {
        if (text.trim() === '' || text === post.message) {
            stopEditing();
            return;
        }
        try {
            await editPost(post.id, text);
            stopEditing();
        } catch (failure) {
            setError(errorMessage(failure));
        }
    }

    function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
        if (event.key === 'Escape') {
            event.preventDefault();
            stopEditing();
        } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
        }
    }

    return (
        <div className='edit-box'>
            <textarea aria-label={t('post.editLabel')} dir='auto' autoFocus value={text}
                onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown}/>
            <div className='edit-buttons'>
                <button type='button' onClick={stopEditing}>{t('dialog.cancel')}</button>
                <button type='button' className='primary' onClick={() => void save()}>{t('post.save')}</button>
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
        </div>
    );
}
