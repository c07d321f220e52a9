import {memo, useState, type KeyboardEvent, type MouseEvent} from 'react';

import type {Post as PostData} from '@mattermost/types/posts';

import {errorMessage} from '../api/client';
import {formatDateTime, formatTime, t, useFormatting} from '../i18n/i18n';
import {openProfile} from '../profile/ProfilePopover';
import {Markdown} from '../markdown/Markdown';
import {useNarrow} from '../app/useNarrow';
import {EMOJI} from '../markdown/emoji';
import {formatName, isCollapsedThreads, nameFormatOf} from '../settings/preferences';
import {editPost} from '../store/actions';
import {store, useAppState} from '../store/state';
import {Avatar} from '../status/Avatar';
import {customStatusOf} from '../status/customStatus';
import {Notice, PostMarkers, useLongPress} from './PostMarkers';
import {PostActions} from './PostActions';
import {Reactions} from './Reactions';
import {useSaved} from './saved';
import {LinkPreview} from './LinkPreview';
import {MessageAttachments} from './MessageAttachments';
import {Attachments} from '../files/Attachments';
import {GuestBadge} from '../profile/GuestBadge';
import {IntegrationBadge, postAuthorName} from '../integrations/IntegrationBadge';
import {isSystemPost} from './rows';
import {isRemovedByModerator} from '../moderation/moderatorItems';

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
    const saved = useSaved(post.id);
    const narrow = useNarrow();
    const [menuOpen, setMenuOpen] = useState(false);
    const [selected, setSelected] = useState(false);
    const [error, setError] = useState('');
    const [notice, setNotice] = useState('');
    const touch = useLongPress(() => setMenuOpen(true));
    const mine = post.user_id === me.id;
    const system = isSystemPost(post);
    const name = postAuthorName(post, useAppState((state) => formatName(author, nameFormatOf(state))));
    // Times follow the reader's clock and time zone settings.
    useFormatting();
    const replyTo = useAppState((state) => (!inThread && post.root_id && !isCollapsedThreads(state) ? formatName(state.users[state.posts[post.root_id]?.user_id ?? ''], nameFormatOf(state)) : ''));
    const customStatus = customStatusOf(author);

    const openThread = () => store.update((state) => ({...state, view: {...state.view, threadId: post.root_id || post.id}}));

    if (system) {
        return (
            <article className='post system-post' data-post-id={post.id}>
                <p dir='auto'>{post.message}</p>
            </article>
        );
    }
    const className = ['post', continuation ? 'continuation' : '', highlighted ? 'highlighted' : '', selected ? 'selected' : '',
        post.is_pinned ? 'pinned' : ''].filter(Boolean).join(' ');
    // On a phone the actions stay out of the text's way: a tap shows them, a long press opens the menu.
    const onTap = (event: MouseEvent<HTMLElement>) => {
        if (narrow && !(event.target as HTMLElement).closest('a, button, textarea, input')) {
            setSelected(!selected);
        }
    };
    return (
        <article className={className} data-post-id={post.id} aria-label={t('post.label', {name, time: formatDateTime(post.create_at)})}
            onClick={onTap} {...(narrow ? touch : {})}>
            {!continuation && (
                <button type='button' className='avatar-button' tabIndex={-1} aria-hidden='true'
                    onClick={(e) => openProfile(post.user_id, e.currentTarget)}>
                    <Avatar userId={post.user_id} presence/>
                </button>
            )}
            <div className='post-body'>
                <PostMarkers pinned={post.is_pinned} saved={saved}/>
                {continuation ? (
                    <time className='post-time continuation-time' dateTime={new Date(post.create_at).toISOString()} title={formatDateTime(post.create_at)}>
                        {formatTime(post.create_at)}
                    </time>
                ) : (
                    <header className='post-header'>
                        <button type='button' className='post-author' aria-haspopup='dialog' title={t('profile.open', {name})}
                            onClick={(e) => openProfile(post.user_id, e.currentTarget)}>{name}</button>
                        <GuestBadge user={author}/>
                        <IntegrationBadge post={post} author={author}/>
                        {customStatus?.emoji && (
                            <span className='post-custom-status' title={customStatus.text} role='img' aria-label={customStatus.text || customStatus.emoji}>
                                {EMOJI[customStatus.emoji] ?? `:${customStatus.emoji}:`}
                            </span>
                        )}
                        <time className='post-time' dateTime={new Date(post.create_at).toISOString()} title={formatDateTime(post.create_at)}>
                            {formatTime(post.create_at)}
                        </time>
                    </header>
                )}
                {replyTo && (
                    <button type='button' className='post-reply-to link-button' onClick={openThread}>{t('post.replyTo', {name: replyTo})}</button>
                )}
                {isRemovedByModerator(post) ? <p className='post-removed'>{t('moderation.removedPlaceholder')}</p> : editing ? <EditBox post={post}/> : (
                    <div className='post-text' dir='auto'>
                        <Markdown text={post.message} highlight={new Set([me.username, 'here', 'channel', 'all'])}/>
                        {post.edit_at > 0 && <span className='edited' title={formatDateTime(post.edit_at)}>{t('post.edited')}</span>}
                    </div>
                )}
                {(post.metadata?.files?.length ?? 0) > 0 && <Attachments files={post.metadata.files!}/>}
                {!editing && <MessageAttachments post={post}/>}
                {!editing && <LinkPreview post={post} mine={mine}/>}
                <Reactions post={post} myId={me.id}/>
                {!inThread && (post.reply_count ?? 0) > 0 && (
                    <button type='button' className='reply-count link-button' onClick={openThread}>
                        {t('post.replies', {count: post.reply_count})}
                    </button>
                )}
                {error && <p className='form-error' role='alert'>{error}</p>}
                {notice && <Notice text={notice} onDone={() => setNotice('')}/>}
            </div>
            <PostActions post={post} mine={mine} saved={saved} menuOpen={menuOpen} setMenuOpen={setMenuOpen} sheet={narrow}
                onError={setError} openThread={openThread} onCopied={() => setNotice(t('post.linkCopied'))}/>
        </article>
    );
});

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
