import {describe, expect, it} from 'vitest';

import {isModerator, SECTIONS, visibleSections, type ConsoleSection} from './sections';

describe('the console sections', () => {
    it('offers every section to system admins and none to members', () => {
        expect(visibleSections(['system_user', 'system_admin']).map((section) => section.id)).toEqual(SECTIONS.map((section) => section.id));
        expect(visibleSections(['system_user'])).toEqual([]);
    });

    it('shows moderators only the reports queue, and mounts a section added to the registry', () => {
        expect(visibleSections(['system_user', 'system_moderator']).map((section) => section.id)).toEqual(['reports']);
        const extra: ConsoleSection = {id: 'extra', title: 'console.title', component: () => null, visible: isModerator};
        const sections = [...SECTIONS, extra];
        expect(visibleSections(['system_user', 'system_moderator'], sections).map((section) => section.id)).toEqual(['reports', 'extra']);
    });
});
