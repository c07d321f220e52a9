import {errorMessage} from '../api/client';
import {t, type MessageId} from '../i18n/i18n';

// Mattermost's error ids for what a person can get wrong in their settings, in plain words.
const MESSAGES: Record<string, MessageId> = {
    'api.user.check_user_password.invalid.app_error': 'settings.error.currentPassword',
    'model.user.is_valid.pwd_length.app_error': 'settings.error.passwordLength',
    'app.user.save.username_exists.app_error': 'settings.error.usernameTaken',
    'app.user.save.email_exists.app_error': 'settings.error.emailTaken',
    'model.user.is_valid.username.app_error': 'settings.error.username',
    'model.user.is_valid.email.app_error': 'settings.error.email',
    'model.user.is_valid.nickname.app_error': 'settings.error.tooLong',
    'model.user.is_valid.first_name.app_error': 'settings.error.tooLong',
    'model.user.is_valid.last_name.app_error': 'settings.error.tooLong',
    'model.user.is_valid.position.app_error': 'settings.error.tooLong',
};

export function settingsError(error: unknown): string {
    const id = (error as {server_error_id?: string}).server_error_id;
    const known = id ? MESSAGES[id] : undefined;
    return known ? t(known) : errorMessage(error);
}
