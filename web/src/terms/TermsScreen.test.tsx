import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {store} from '../store/state';
import {TermsScreen} from './TermsScreen';

const updateMyTermsOfServiceStatus = vi.fn((..._args: unknown[]) => Promise.resolve({status: 'OK'}));
const logout = vi.fn(() => Promise.resolve({status: 'OK'}));
const getMyTeams = vi.fn(() => Promise.resolve([]));
vi.mock('../api/client', () => ({
    client: {
        updateMyTermsOfServiceStatus: (...args: unknown[]) => updateMyTermsOfServiceStatus(...args),
        logout: () => logout(),
        getMyTeams: () => getMyTeams(),
        getMyPreferences: () => Promise.resolve([]),
    },
    errorStatus: () => undefined,
}));

const me = {id: 'hamlet', username: 'hamlet'};
const terms = {id: 'terms1', create_at: 1, user_id: 'admin', text: '# Be kind\n\nThe code **applies** to DMs.'};

describe('the terms of service screen', () => {
    beforeEach(() => {
        updateMyTermsOfServiceStatus.mockClear();
        logout.mockClear();
        store.update((state) => ({...state, session: 'terms', terms, me: me as never, siteName: 'Elsinore'}));
    });

    it('shows the Markdown and lets the user in on accepting', async () => {
        render(<TermsScreen/>);
        expect(screen.getByRole('heading', {name: 'Be kind'})).toBeTruthy();
        expect(screen.getByText('applies').tagName).toBe('STRONG');
        expect(screen.getByText(/terms of service of Elsinore/)).toBeTruthy();
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'I accept'}));
        });
        expect(updateMyTermsOfServiceStatus).toHaveBeenCalledWith('terms1', true);
        expect(store.get().session).toBe('signed-in');
        expect(store.get().terms).toBeNull();
    });

    it('records a decline, then signs out', async () => {
        render(<TermsScreen/>);
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Decline and sign out'}));
        });
        expect(updateMyTermsOfServiceStatus).toHaveBeenCalledWith('terms1', false);
        expect(logout).toHaveBeenCalled();
        expect(store.get().session).toBe('signed-out');
    });
});
