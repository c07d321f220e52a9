import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';

/**
 * "Sign in with ..." for each outside account the server accepts. These are plain links: the
 * sign-in leaves for the provider and comes back to the server, which sets the session cookies
 * and sends the browser on to `redirectTo` (a path on this site). `inviteId` carries a team
 * invitation, which a new account needs.
 */
export function SsoButtons({redirectTo = '', inviteId = ''}: {redirectTo?: string; inviteId?: string}) {
    const services = useAppState((state) => state.signInServices);
    if (services.length === 0) {
        return null;
    }
    return (
        <div className='sso-buttons'>
            <p className='sso-separator'>{t('login.ssoSeparator')}</p>
            {services.map(({service, label, color}) => {
                const query = new URLSearchParams();
                if (redirectTo) {
                    query.set('redirect_to', redirectTo);
                }
                if (inviteId) {
                    query.set('iid', inviteId);
                }
                const href = `/oauth/${service}/login${query.size ? `?${query}` : ''}`;
                return (
                    <a key={service} className='button sso-button' href={href}
                        style={color ? {borderColor: color} : undefined}>
                        {t('login.sso', {name: label})}
                    </a>
                );
            })}
        </div>
    );
}
