import {Suspense} from 'react';

import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {visibleSections} from './sections';
import './console.css';

/** Mattermost's System Console at /admin_console/<section>: a list of sections and the open one.
 * Someone with no section to see is refused (the server refuses their calls too). */
export default function ConsolePage({section}: {section: string}) {
    const roles = useAppState((state) => state.me?.roles ?? '');
    const sections = visibleSections(roles.split(' '));
    const open = sections.find((candidate) => candidate.id === section) ?? sections[0];
    if (!open) {
        return (
            <main className='centered-page'>
                <h1>{t('console.title')}</h1>
                <p role='alert'>{t('console.refused')}</p>
                <p><a href='/' onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('notFound.home')}</a></p>
            </main>
        );
    }
    const Section = open.component;
    return (
        <div className='console'>
            <header className='console-header'>
                <a href='/' onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('console.back')}</a>
                <h1>{t('console.title')}</h1>
            </header>
            <nav className='console-nav' aria-label={t('console.sections')}>
                <ul>
                    {sections.map((candidate) => (
                        <li key={candidate.id}>
                            <a href={`/admin_console/${candidate.id}`} aria-current={candidate.id === open.id ? 'page' : undefined}
                                onClick={(e) => { e.preventDefault(); navigate(`/admin_console/${candidate.id}`); }}>
                                {t(candidate.title)}
                            </a>
                        </li>
                    ))}
                </ul>
            </nav>
            <main className='console-main'>
                <h2>{t(open.title)}</h2>
                <Suspense fallback={<p role='status'>{t('app.loading')}</p>}>
                    <Section/>
                </Suspense>
            </main>
        </div>
    );
}
