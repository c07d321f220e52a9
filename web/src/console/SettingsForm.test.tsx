import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {describe, expect, it, vi} from 'vitest';

import {changedSettings, MASK} from './catalogue';
import {SettingsForm} from './SettingsForm';

const config = {
    TeamSettings: {SiteName: 'Elsinore', EnableOpenServer: false, MaxUsersPerTeam: 50},
    EmailSettings: {SMTPPassword: MASK, ConnectionSecurity: 'TLS'},
    FileSettings: {DriverName: 'local'},
    NewSettings: {Unknown: 3},
};

describe('the settings form', () => {
    it('shows each setting with an input of its type and its help text', () => {
        render(<SettingsForm config={config} locked={{FileSettings: {DriverName: true}}} onSave={() => Promise.resolve()}/>);
        expect(screen.getByRole('group', {name: 'TeamSettings'})).toBeTruthy();
        expect((screen.getByLabelText('SiteName') as HTMLInputElement).value).toBe('Elsinore');
        const open = screen.getByRole('switch', {name: 'EnableOpenServer'}) as HTMLInputElement;
        expect(open.checked).toBe(false);
        expect(open.getAttribute('aria-describedby')).toBeTruthy();
        expect(screen.getByText(/Invite-only by default/)).toBeTruthy();
        expect((screen.getByLabelText('MaxUsersPerTeam') as HTMLInputElement).type).toBe('number');
        // A secret stays masked, in a password field.
        const password = screen.getByLabelText('SMTPPassword') as HTMLInputElement;
        expect(password.type).toBe('password');
        expect(password.value).toBe(MASK);
        const security = screen.getByLabelText('ConnectionSecurity') as HTMLSelectElement;
        expect([...security.options].map((option) => option.value)).toEqual(['', 'TLS', 'STARTTLS']);
        // Set by the environment: shown, not editable.
        expect((screen.getByLabelText('DriverName') as HTMLSelectElement).disabled).toBe(true);
        // A setting the catalogue does not know still shows, typed by its value.
        expect((screen.getByLabelText('Unknown') as HTMLInputElement).type).toBe('number');
    });

    it('saves only what changed and shows the server\'s error', async () => {
        const onSave = vi.fn(() => Promise.reject(new Error('Site name must be less than or equal to 30 characters.')));
        render(<SettingsForm config={config} locked={{}} onSave={onSave}/>);
        const save = screen.getByRole('button', {name: 'Save settings'}) as HTMLButtonElement;
        expect(save.disabled).toBe(true);
        fireEvent.change(screen.getByLabelText('SiteName'), {target: {value: 'x'.repeat(31)}});
        fireEvent.click(screen.getByRole('switch', {name: 'EnableOpenServer'}));
        fireEvent.change(screen.getByLabelText('MaxUsersPerTeam'), {target: {value: '75'}});
        await act(async () => {
            fireEvent.click(save);
        });
        expect(onSave).toHaveBeenCalledWith({TeamSettings: {SiteName: 'x'.repeat(31), EnableOpenServer: true, MaxUsersPerTeam: 75}});
        expect(screen.getByRole('alert').textContent).toBe('Site name must be less than or equal to 30 characters.');
    });

    it('computes a patch by section', () => {
        expect(changedSettings(config, {...config, FileSettings: {DriverName: 'amazons3'}})).toEqual({FileSettings: {DriverName: 'amazons3'}});
        expect(changedSettings(config, config)).toEqual({});
    });
});
