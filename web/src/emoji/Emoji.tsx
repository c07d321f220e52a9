import {useEffect} from 'react';

import {lookUpEmoji, resolveEmoji, useEmojiVersion} from './load';

/** One :name: drawn as its glyph or custom image; stays as text when no emoji has that name. */
export function Emoji({name, size = 'inline'}: {name: string; size?: 'inline' | 'large'}) {
    const known = useEmojiVersion();
    const resolved = resolveEmoji(name);
    const unknown = resolved === undefined;
    useEffect(() => {
        if (unknown) {
            lookUpEmoji();
        }
    }, [unknown, known]);
    if (!resolved) {
        return <>{`:${name}:`}</>;
    }
    if ('imageUrl' in resolved) {
        return <img className={`emoji custom-emoji emoji-${size}`} src={resolved.imageUrl} alt={`:${name}:`} title={`:${name}:`}/>;
    }
    return <span className={`emoji emoji-${size}`} role='img' aria-label={name} title={`:${name}:`}>{resolved.glyph}</span>;
}
