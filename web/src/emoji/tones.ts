/** The skin tone modifiers' code points, light to dark (Mattermost's preference values). */
export const TONE_CODES_LIST = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];
