import {useCallback, useEffect, useState} from 'react';

import {t} from '../i18n/i18n';
import {copyInviteLink, isTeamAdmin} from './inviteLinks';

/** For the team menu: whether "Regenerate invite link" is offered, and "Copy invite link" with
 * the short notice it leaves for screen readers and eyes alike. */
export function useInviteLinkItems(teamId: string, guest: boolean) {
    const [teamAdmin, setTeamAdmin] = useState(false);
    const [notice, setNotice] = useState('');

    useEffect(() => {
        let live = true;
        if (guest) {
            setTeamAdmin(false);
            return undefined;
        }
        isTeamAdmin(teamId).then((admin) => live && setTeamAdmin(admin), () => live && setTeamAdmin(false));
        return () => {
            live = false;
        };
    }, [teamId, guest]);

    useEffect(() => {
        if (!notice) {
            return undefined;
        }
        const timer = window.setTimeout(() => setNotice(''), 4000);
        return () => window.clearTimeout(timer);
    }, [notice]);

    const copyLink = useCallback(async () => {
        const copied = await copyInviteLink(teamId).catch(() => false);
        if (copied) {
            setNotice(t('inviteLink.copied'));
        }
        return copied;
    }, [teamId]);

    return {teamAdmin, notice, copyLink};
}
