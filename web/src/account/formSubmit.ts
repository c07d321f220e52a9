import {useState, type FormEvent} from 'react';

import {errorMessage} from '../api/client';

export interface FormSubmit {
    /** For the form's onSubmit. */
    submit: (event: FormEvent) => void;
    busy: boolean;
    error: string;
    setError: (error: string) => void;
}

/**
 * A form of the pages before sign-in (first admin, sign-up, password reset): submitting runs
 * `work` with the button disabled and shows the server's refusal. `leavesPage`: a success
 * navigates away, so the button stays disabled until then rather than inviting a second submit.
 * `work` is null while there is nothing to submit: the form then does nothing.
 */
export function useFormSubmit(work: (() => Promise<void>) | null, {leavesPage = false} = {}): FormSubmit {
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function run(job: () => Promise<void>) {
        setBusy(true);
        setError('');
        try {
            await job();
            if (!leavesPage) {
                setBusy(false);
            }
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    function submit(event: FormEvent) {
        event.preventDefault();
        if (work) {
            void run(work);
        }
    }

    return {submit, busy, error, setError};
}
