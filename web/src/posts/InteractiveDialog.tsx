import {useState, type FormEvent} from 'react';

import type {DialogElement, OpenDialogRequest} from '@mattermost/types/integrations';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {Dialog} from './Dialog';
import {closeDialog, useOpenDialog} from './interactive';

/** The dialog an integration opened (open_dialog event), submitted to the integration's URL. */
export function InteractiveDialog() {
    const request = useOpenDialog();
    return request ? <DialogForm key={request.trigger_id} request={request}/> : null;
}

function DialogForm({request}: {request: OpenDialogRequest}) {
    const {dialog} = request;
    const elements = dialog.elements ?? [];
    const channelId = useAppState((state) => state.view.channelId);
    const teamId = useAppState((state) => state.view.teamId);
    const myId = useAppState((state) => state.me?.id ?? '');
    const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(elements.map((e) => [e.name, e.default ?? ''])));
    const [errors, setErrors] = useState<Record<string, string>>({});
    const [error, setError] = useState('');

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        try {
            const answer = await client.submitInteractiveDialog({
                url: request.url,
                callback_id: dialog.callback_id ?? '',
                state: dialog.state ?? '',
                user_id: myId,
                channel_id: channelId,
                team_id: teamId,
                submission: values,
                cancelled: false,
            });
            if (answer.error || (answer.errors && Object.keys(answer.errors).length > 0)) {
                setError(answer.error ?? '');
                setErrors(answer.errors ?? {});
                return;
            }
            closeDialog();
        } catch (failure) {
            setError(errorMessage(failure));
        }
    };

    return (
        <Dialog title={dialog.title} onClose={closeDialog}>
            <form className='dialog-body' onSubmit={(e) => void submit(e)}>
                {dialog.introduction_text && <p>{dialog.introduction_text}</p>}
                {elements.map((element) => (
                    <Field key={element.name} element={element} value={values[element.name] ?? ''} error={errors[element.name]}
                        onChange={(value) => setValues((old) => ({...old, [element.name]: value}))}/>
                ))}
                {error && <p className='form-error' role='alert'>{error}</p>}
                <footer className='dialog-footer'>
                    <button type='button' className='button' onClick={closeDialog}>{t('dialog.cancel')}</button>
                    <button type='submit' className='button primary'>{dialog.submit_label || t('interactive.submit')}</button>
                </footer>
            </form>
        </Dialog>
    );
}

function Field({element, value, error, onChange}: {element: DialogElement; value: string; error?: string; onChange: (value: string) => void}) {
    const common = {required: !element.optional, 'aria-invalid': Boolean(error)};
    let control;
    if (element.type === 'select') {
        control = (
            <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
                <option value=''>{element.placeholder}</option>
                {(element.options ?? []).map((option) => <option key={String(option.value)} value={String(option.value)}>{option.text}</option>)}
            </select>
        );
    } else if (element.type === 'textarea') {
        control = <textarea {...common} value={value} placeholder={element.placeholder} maxLength={element.max_length || undefined} onChange={(e) => onChange(e.target.value)}/>;
    } else {
        control = <input {...common} value={value} placeholder={element.placeholder} maxLength={element.max_length || undefined} onChange={(e) => onChange(e.target.value)}/>;
    }
    return (
        <label className='dialog-field'>
            <span>{element.display_name}</span>
            {control}
            {element.help_text && <small>{element.help_text}</small>}
            {error && <span className='form-error' role='alert'>{error}</span>}
        </label>
    );
}
