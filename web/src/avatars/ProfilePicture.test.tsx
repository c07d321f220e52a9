import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {ProfilePicture} from './ProfilePicture';

const setDefaultProfileImage = vi.fn((..._args: unknown[]) => Promise.resolve({status: 'OK'}));
vi.mock('../api/client', () => ({
    client: {
        getProfilePictureUrl: (userId: string, lastPictureUpdate: number) => `/api/v4/users/${userId}/image?_=${lastPictureUpdate}`,
        setDefaultProfileImage: (...args: unknown[]) => setDefaultProfileImage(...args),
        uploadProfileImage: vi.fn(),
    },
    errorMessage: (error: unknown) => String(error),
}));

describe('the profile picture setting', () => {
    beforeEach(() => setDefaultProfileImage.mockClear());

    it('shows the current picture by the URL that changes with it', () => {
        render(<ProfilePicture userId='hamlet' lastPictureUpdate={1234}/>);
        const current = screen.getByRole('img', {name: 'Your profile picture'}) as HTMLImageElement;
        expect(current.getAttribute('src')).toBe('/api/v4/users/hamlet/image?_=1234');
        expect(screen.getByLabelText('Choose a picture')).toHaveProperty('accept', 'image/png,image/jpeg,image/gif,image/webp,image/bmp');
    });

    it('offers to remove only an uploaded picture, and removes it', async () => {
        const {rerender} = render(<ProfilePicture userId='hamlet' lastPictureUpdate={-99}/>);
        expect(screen.queryByRole('button', {name: 'Remove picture'})).toBeNull();
        rerender(<ProfilePicture userId='hamlet' lastPictureUpdate={1234}/>);
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Remove picture'}));
        });
        expect(setDefaultProfileImage).toHaveBeenCalledWith('hamlet');
    });
});
