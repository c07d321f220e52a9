// Interactive messages: the attachments of an integration's post, a click on one of their
// buttons or menus (the server calls the integration; the answer comes back as events), and the
// dialog an integration opens with the `open_dialog` event.
import {useSyncExternalStore} from 'react';

import type {PostAction} from '@mattermost/types/integration_actions';
import type {OpenDialogRequest} from '@mattermost/types/integrations';
import type {MessageAttachment} from '@mattermost/types/message_attachments';
import type {Post} from '@mattermost/types/posts';

import {client} from '../api/client';

/** The post's attachments as the server sent them (props.attachments), or none. */
export function attachmentsOf(post: Post): MessageAttachment[] {
    const attachments = (post.props as Record<string, unknown> | undefined)?.attachments;
    return Array.isArray(attachments) ? attachments.filter((a): a is MessageAttachment => typeof a === 'object' && a !== null) : [];
}

/** A click on a button, or a choice in a menu: the server asks the action's integration. An
 * ephemeral post's actions carry a sealed cookie, since the server keeps no copy of the post. */
export async function doAction(postId: string, action: PostAction, selectedOption = ''): Promise<void> {
    await client.doPostActionWithCookie(postId, action.id ?? '', action.cookie ?? '', selectedOption);
}

let openDialog: OpenDialogRequest | null = null;
const listeners = new Set<() => void>();

function changed(): void {
    listeners.forEach((listener) => listener());
}

/** What an `open_dialog` event carries: at most one dialog is open, the newest. */
export function showDialog(request: OpenDialogRequest): void {
    openDialog = request;
    changed();
}

export function currentDialog(): OpenDialogRequest | null {
    return openDialog;
}

export function closeDialog(): void {
    openDialog = null;
    changed();
}

export function useOpenDialog(): OpenDialogRequest | null {
    return useSyncExternalStore(
        (listener) => {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
        currentDialog,
    );
}
