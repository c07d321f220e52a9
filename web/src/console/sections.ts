// The console's sections: a small registry, so a section built elsewhere (the moderators'
// report queue) mounts by adding one entry here. `visible` gets the signed-in user's roles
// (Mattermost's space-separated role names) and says whether the section is offered.
import {lazy, type ComponentType, type LazyExoticComponent} from 'react';

import type {MessageId} from '../i18n/i18n';

export interface ConsoleSection {
    /** The last part of its address: /admin_console/<id>. */
    id: string;
    /** An i18n key. */
    title: MessageId;
    component: ComponentType | LazyExoticComponent<ComponentType>;
    visible: (roles: string[]) => boolean;
}

export const isSystemAdmin = (roles: string[]) => roles.includes('system_admin');
export const isModerator = (roles: string[]) => isSystemAdmin(roles) || roles.includes('system_moderator');

export const SECTIONS: ConsoleSection[] = [
    {id: 'statistics', title: 'console.statistics.title', component: lazy(() => import('./StatisticsSection')), visible: isSystemAdmin},
    {id: 'settings', title: 'console.settings.title', component: lazy(() => import('./SettingsSection')), visible: isSystemAdmin},
    {id: 'users', title: 'console.users.title', component: lazy(() => import('./UsersSection')), visible: isSystemAdmin},
    {id: 'teams', title: 'console.teams.title', component: lazy(() => import('./TeamsSection')), visible: isSystemAdmin},
    {id: 'audit', title: 'console.audit.title', component: lazy(() => import('./AuditSection')), visible: isSystemAdmin},
    {id: 'irc', title: 'console.irc.title', component: lazy(() => import('./IrcSection')), visible: isSystemAdmin},
    // The moderators' queue (web/src/moderation): the one section moderators see too.
    {id: 'reports', title: 'reports.title', component: lazy(() => import('../moderation/ReportQueue').then((m) => ({default: m.ReportQueue}))), visible: isModerator},
];

export function visibleSections(roles: string[], sections: ConsoleSection[] = SECTIONS): ConsoleSection[] {
    return sections.filter((section) => section.visible(roles));
}
