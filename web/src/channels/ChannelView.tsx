import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {useNarrow} from '../app/useNarrow';
import {t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {Composer} from '../posts/Composer';
import {PostList} from '../posts/PostList';
import {openChannel} from '../store/actions';
import {channelTitle} from '../store/channels';
import {useAppState} from '../store/state';

export function ChannelView({channel, team}: {channel: Channel; team: Team}) {
    const title = useAppState((state) => channelTitle(state, state.channels[channel.id] ?? channel));
    const header = useAppState((state) => (state.channels[channel.id] ?? channel).header);
    const [error, setError] = useState('');
    const narrow = useNarrow();

    useEffect(() => {
        openChannel(channel.id).catch((failure) => setError(errorMessage(failure)));
    }, [channel.id]);

    return (
        <section className='channel-view' aria-labelledby='channel-title'>
            <header className='channel-header'>
                <button type='button' className='back-button icon-button' aria-label={t('layout.back')}
                    onClick={() => navigate(`/${team.name}`)}>‹</button>
                <h2 id='channel-title'>{title}</h2>
                {header && <div className='channel-header-text' dir='auto'><Markdown text={header}/></div>}
            </header>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <PostList channelId={channel.id}/>
            {/* Straight to typing on a desktop; on a phone, focusing would cover the messages with the keyboard. */}
            <Composer channelId={channel.id} label={t('composer.placeholder', {channel: title})} autoFocus={!narrow}/>
        </section>
    );
}
