import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {ExpiringPostsBanner} from '../account/ExpiringPostsBanner';
import {errorMessage} from '../api/client';
import {prefetchDeferred} from '../app/deferred';
import {useNarrow} from '../app/useNarrow';
import {t} from '../i18n/i18n';
import {usePostingAllowed} from '../moderation/channelModeration';
import {Composer} from '../posts/Composer';
import {PostList} from '../posts/PostList';
import {openChannel} from '../store/actions';
import {channelTitle} from '../store/channels';
import {channelPostsOf} from '../store/posts';
import {useAppState} from '../store/state';
import {ChannelHeader} from './ChannelHeader';

export function ChannelView({channel, team}: {channel: Channel; team: Team}) {
    const title = useAppState((state) => channelTitle(state, state.channels[channel.id] ?? channel));
    const archived = useAppState((state) => (state.channels[channel.id] ?? channel).delete_at > 0);
    const [error, setError] = useState('');
    const narrow = useNarrow();
    const mayPost = usePostingAllowed(channel.id, false);
    const shown = useAppState((state) => channelPostsOf(state, channel.id).loaded);

    useEffect(() => {
        openChannel(channel.id).catch((failure) => setError(errorMessage(failure)));
    }, [channel.id]);

    // The first channel's messages are on screen: the dialogs and panels the first script left
    // out can come now, while the reader reads (app/deferred.tsx).
    useEffect(() => {
        if (shown) {
            prefetchDeferred();
        }
    }, [shown]);

    return (
        <section className='channel-view' aria-labelledby='channel-title'>
            <ChannelHeader channel={channel} team={team}/>
            <ExpiringPostsBanner/>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <PostList channelId={channel.id}/>
            {archived ? <p className='archived-notice' role='note'>{t('channel.archived')}</p>
                : !mayPost ? <p className='archived-notice read-only-notice' role='note'>{t('moderation.readOnlyChannel')}</p>
                // Straight to typing on a desktop; on a phone, focusing would cover the messages with the keyboard.
                    : <Composer channelId={channel.id} label={t('composer.placeholder', {channel: title})} autoFocus={!narrow}/>}
        </section>
    );
}
