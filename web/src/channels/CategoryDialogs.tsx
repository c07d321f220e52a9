import {useState, type FormEvent} from 'react';

import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {categoryOf} from '../store/categories';
import {createCategory, deleteCategory, moveToCategory, renameCategory} from '../store/channelActions';
import {useAppState} from '../store/state';
import {categoryName} from './categoryName';

/** A new category (with a channel moved into it, when opened from a channel's menu), or a new name. */
export function CategoryNameDialog({team, category, channelId = '', onClose}: {team: Team; category?: ChannelCategory; channelId?: string; onClose: () => void}) {
    const [name, setName] = useState(category?.display_name ?? '');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (!name.trim()) {
            setError(t('categories.nameRequired'));
            return;
        }
        setBusy(true);
        try {
            if (category) {
                await renameCategory(team.id, category, name);
            } else {
                await createCategory(team.id, name, channelId);
            }
            onClose();
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    return (
        <Dialog title={category ? t('categories.renameTitle') : t('categories.createTitle')} onClose={onClose}>
            <form onSubmit={(e) => void submit(e)} noValidate>
                <label htmlFor='category-name'>{t('categories.name')}</label>
                <input id='category-name' autoFocus autoComplete='off' maxLength={22} value={name} onChange={(e) => setName(e.target.value)}/>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={busy}>{category ? t('categories.rename') : t('categories.create')}</button>
                </div>
            </form>
        </Dialog>
    );
}

export function DeleteCategoryDialog({team, category, onClose}: {team: Team; category: ChannelCategory; onClose: () => void}) {
    const [error, setError] = useState('');
    return (
        <Dialog title={t('categories.deleteTitle')} onClose={onClose}>
            <p>{t('categories.deleteConfirm', {name: category.display_name})}</p>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='dialog-buttons'>
                <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                <button type='button' className='danger' onClick={() => {
                    deleteCategory(team.id, category.id).then(onClose, (failure) => setError(errorMessage(failure)));
                }}>{t('categories.delete')}</button>
            </div>
        </Dialog>
    );
}

/** "Move to…": every other category of the team, or a new one. */
export function MoveChannelDialog({team, channel, title, onClose}: {team: Team; channel: Channel; title: string; onClose: () => void}) {
    const categories = useAppState((state) => state.categories[team.id] ?? []);
    const [creating, setCreating] = useState(false);
    const [error, setError] = useState('');
    const here = categoryOf(categories, channel.id);
    if (creating) {
        return <CategoryNameDialog team={team} channelId={channel.id} onClose={onClose}/>;
    }
    return (
        <Dialog title={t('categories.moveTitle', {channel: title})} onClose={onClose}>
            <ul className='move-targets'>
                {categories.filter((category) => category.id !== here?.id).map((category) => (
                    <li key={category.id}>
                        <button type='button' onClick={() => {
                            moveToCategory(team.id, channel.id, category.id).then(onClose, (failure) => setError(errorMessage(failure)));
                        }}>{categoryName(category)}</button>
                    </li>
                ))}
                <li><button type='button' onClick={() => setCreating(true)}>{t('categories.newCategory')}</button></li>
            </ul>
            {error && <p className='form-error' role='alert'>{error}</p>}
        </Dialog>
    );
}
