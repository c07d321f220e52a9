// The emoji most used in chat, by Mattermost's names: drawn at once, without waiting for the full
// table (src/emoji/table.ts), which loads on demand when a message names any other.
export const EMOJI: Record<string, string> = {
    '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', smile: '😄', smiley: '😃', grinning: '😀',
    laughing: '😆', joy: '😂', wink: '😉', blush: '😊', slightly_smiling_face: '🙂', heart: '❤️',
    heart_eyes: '😍', thinking_face: '🤔', thinking: '🤔', cry: '😢', sob: '😭', open_mouth: '😮',
    scream: '😱', rage: '😡', tada: '🎉', clap: '👏', pray: '🙏', ok_hand: '👌', wave: '👋',
    raised_hands: '🙌', muscle: '💪', eyes: '👀', fire: '🔥', rocket: '🚀', star: '⭐', sparkles: '✨',
    white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', question: '❓',
    exclamation: '❗', bulb: '💡', coffee: '☕', beers: '🍻', sunny: '☀️', books: '📚', memo: '📝',
    100: '💯', sweat_smile: '😅', upside_down_face: '🙃', neutral_face: '😐', confused: '😕',
    stuck_out_tongue: '😛', sunglasses: '😎', hugs: '🤗', face_palm: '🤦', shrug: '🤷',
};

/** The one-click reactions offered before the reader has used any. */
export const QUICK_REACTIONS = ['+1', 'heart', 'smile', 'tada', 'eyes', 'white_check_mark'];
