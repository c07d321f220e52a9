import {useState} from 'react';

import type {Post} from '@mattermost/types/posts';

import {Emoji} from '../emoji/Emoji';
import {LazyEmojiPicker} from '../emoji/PickerButton';
import {t} from '../i18n/i18n';
import {toggleReaction} from '../store/actions';
import {groupReactions} from '../store/posts';
import {reactWith} from './postActions';

/** A post's reactions, one button each to join or leave, and "+" for another from the picker. */
export function Reactions({post, myId}: {post: Post; myId: string}) {
    const [picking, setPicking] = useState(false);
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
                    <span aria-hidden='true'><Emoji name={group.emoji}/></span> <span>{group.count}</span>
                </button>
            ))}
            <button type='button' className='reaction add-reaction' aria-label={t('post.addAnother')} title={t('post.addAnother')}
                onClick={() => setPicking(true)}>+</button>
            {picking && (
                <LazyEmojiPicker title={t('post.react')} onClose={() => setPicking(false)} onPick={(name) => {
                    setPicking(false);
                    void reactWith(post, name).catch(console.error);
                }}/>
            )}
        </div>
    );
}
