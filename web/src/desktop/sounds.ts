// The sounds of desktop notifications, by Mattermost's names (notify_props
// desktop_notification_sound). The desktop app plays its own recording of each; a browser plays
// a short chime made here with Web Audio, so no sound file is fetched.
export const SOUNDS = ['Bing', 'Crackle', 'Down', 'Hello', 'Ripple', 'Upstairs'] as const;
export type Sound = typeof SOUNDS[number];

/** A note: frequency (Hz), start and length (seconds). */
type Note = [number, number, number];

const NOTES: Record<Sound, Note[]> = {
    Bing: [[1318.5, 0, 0.35]],
    Crackle: [[880, 0, 0.05], [1174.7, 0.07, 0.05], [987.8, 0.14, 0.05], [1318.5, 0.21, 0.08]],
    Down: [[987.8, 0, 0.15], [784, 0.15, 0.15], [587.3, 0.3, 0.25]],
    Hello: [[659.3, 0, 0.15], [987.8, 0.16, 0.3]],
    Ripple: [[1046.5, 0, 0.08], [1318.5, 0.08, 0.08], [1568, 0.16, 0.08], [2093, 0.24, 0.2]],
    Upstairs: [[523.3, 0, 0.12], [659.3, 0.12, 0.12], [784, 0.24, 0.2]],
};

export interface SoundSetting {
    play: boolean;
    sound: Sound;
}

/** The user's choice, with Mattermost's defaults: a sound, "Bing". */
export function soundSetting(props: Record<string, string | undefined> | undefined): SoundSetting {
    const name = props?.desktop_notification_sound;
    return {
        play: props?.desktop_sound !== 'false',
        sound: (SOUNDS as readonly string[]).includes(name ?? '') ? (name as Sound) : 'Bing',
    };
}

export function notesOf(sound: Sound): Note[] {
    return NOTES[sound];
}

let context: AudioContext | null = null;

/** Plays the chime; quietly nothing where the browser allows no sound yet (before any click). */
export function playSound(sound: Sound): void {
    try {
        context ??= new AudioContext();
        const start = context.currentTime + 0.01;
        for (const [frequency, offset, length] of notesOf(sound)) {
            const oscillator = context.createOscillator();
            const gain = context.createGain();
            oscillator.type = 'sine';
            oscillator.frequency.value = frequency;
            // A soft attack and a decay, so the note neither clicks nor drones.
            gain.gain.setValueAtTime(0.0001, start + offset);
            gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.01);
            gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
            oscillator.connect(gain).connect(context.destination);
            oscillator.start(start + offset);
            oscillator.stop(start + offset + length + 0.02);
        }
    } catch {
        // No Web Audio, or not allowed yet.
    }
}
