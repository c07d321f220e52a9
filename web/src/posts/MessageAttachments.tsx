import {useState} from 'react';

import type {PostAction} from '@mattermost/types/integration_actions';
import type {Post} from '@mattermost/types/posts';

import {errorMessage} from '../api/client';
import {Markdown} from '../markdown/Markdown';
import {attachmentsOf, doAction} from './interactive';

/** An integration's attachments under its post: pretext, title, text, fields, and the
 * buttons and menus that call the integration. */
export function MessageAttachments({post}: {post: Post}) {
    const attachments = attachmentsOf(post);
    const [error, setError] = useState('');
    if (attachments.length === 0) {
        return null;
    }
    const act = (action: PostAction, option = '') => {
        setError('');
        doAction(post.id, action, option).catch((failure: unknown) => setError(errorMessage(failure)));
    };
    return (
        <div className='message-attachments'>
            {attachments.map((attachment, index) => (
                <div className='message-attachment' key={index} style={attachment.color ? {borderInlineStartColor: attachment.color} : undefined}>
                    {attachment.pretext && <Markdown text={attachment.pretext}/>}
                    {attachment.title && <p className='message-attachment-title'>{attachment.title}</p>}
                    {attachment.text && <Markdown text={attachment.text}/>}
                    {(attachment.fields ?? []).map((field, at) => (
                        <div className='message-attachment-field' key={at}>
                            <strong>{field.title}</strong> {String(field.value ?? '')}
                        </div>
                    ))}
                    {(attachment.actions?.length ?? 0) > 0 && (
                        <div className='message-attachment-actions'>
                            {attachment.actions!.map((action) => <ActionControl key={action.id} action={action} act={act}/>)}
                        </div>
                    )}
                </div>
            ))}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </div>
    );
}

function ActionControl({action, act}: {action: PostAction; act: (action: PostAction, option?: string) => void}) {
    if (action.type === 'select') {
        return (
            <select aria-label={action.name} defaultValue='' disabled={action.disabled} onChange={(e) => e.target.value && act(action, e.target.value)}>
                <option value='' disabled>{action.name}</option>
                {(action.options ?? []).map((option) => <option key={option.value} value={option.value}>{option.text}</option>)}
            </select>
        );
    }
    return (
        <button type='button' className='button' disabled={action.disabled} onClick={() => act(action)}>{action.name}</button>
    );
}
