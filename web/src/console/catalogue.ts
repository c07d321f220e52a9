// The settings the console edits: every runtime setting of the config API, with how to edit it
// (generated from the server's typed settings and the admin guide: scripts/console_settings.py).
import {SETTINGS} from './catalogue.generated';

export interface SettingSpec {
    section: string;
    key: string;
    type: 'bool' | 'number' | 'text' | 'select';
    choices: string[];
    secret: boolean;
    env: string;
}

export type Config = Record<string, Record<string, unknown>>;

/** What Mattermost sends for a secret that is set; sent back, it keeps the stored secret. */
export const MASK = '********************************';

/** Sections in the order the admin guide lists their first setting, each with its settings;
 * a setting the server sends that the catalogue lacks still shows, typed by its value. */
export function groupSettings(config: Config): Array<{section: string; settings: SettingSpec[]}> {
    const known = new Map(SETTINGS.map((spec) => [`${spec.section}.${spec.key}`, spec]));
    const groups = new Map<string, SettingSpec[]>();
    const add = (spec: SettingSpec) => groups.set(spec.section, [...(groups.get(spec.section) ?? []), spec]);
    SETTINGS.filter((spec) => config[spec.section] && spec.key in config[spec.section]).forEach(add);
    for (const [section, values] of Object.entries(config)) {
        for (const [key, value] of Object.entries(values)) {
            if (!known.has(`${section}.${key}`)) {
                add({section, key, type: typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'number' : 'text', choices: [], secret: value === MASK, env: ''});
            }
        }
    }
    return [...groups.entries()].map(([section, settings]) => ({section, settings}));
}

/** The patch that takes `saved` to `edited`: only what changed, by section. */
export function changedSettings(saved: Config, edited: Config): Config {
    const patch: Config = {};
    for (const [section, values] of Object.entries(edited)) {
        for (const [key, value] of Object.entries(values)) {
            if (saved[section]?.[key] !== value) {
                patch[section] = {...patch[section], [key]: value};
            }
        }
    }
    return patch;
}
