import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {uploadFile, UploadCancelled} from './upload';

/** Just enough of XMLHttpRequest to see what is sent and answer it. */
class FakeRequest {
    static last: FakeRequest;
    method = '';
    url = '';
    headers: Record<string, string> = {};
    body: FormData | undefined;
    status = 0;
    responseText = '';
    withCredentials = false;
    upload: {onprogress?: (event: {loaded: number}) => void} = {};
    onload?: () => void;
    onerror?: () => void;
    onabort?: () => void;

    constructor() {
        FakeRequest.last = this;
    }
    open(method: string, url: string) {
        this.method = method;
        this.url = url;
    }
    setRequestHeader(name: string, value: string) {
        this.headers[name] = value;
    }
    send(body: FormData) {
        this.body = body;
    }
    abort() {
        this.onabort?.();
    }
    answer(status: number, body: unknown) {
        this.status = status;
        this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
        this.onload?.();
    }
}

describe('uploadFile', () => {
    beforeEach(() => {
        vi.stubGlobal('XMLHttpRequest', FakeRequest);
        document.cookie = 'MMCSRF=token123';
    });
    afterEach(() => {
        vi.unstubAllGlobals();
    });

    it('posts one file with the channel, client id and CSRF header, reporting progress', async () => {
        const progress: number[] = [];
        const file = new File(['hello'], 'hello.txt', {type: 'text/plain'});
        const handle = uploadFile(file, 'chan', 'c1', (loaded) => progress.push(loaded));
        const request = FakeRequest.last;
        expect(request.method).toBe('POST');
        expect(request.url).toMatch(/\/api\/v4\/files\?channel_id=chan$/);
        expect(request.headers['X-CSRF-Token']).toBe('token123');
        expect(request.headers['X-Requested-With']).toBe('XMLHttpRequest');
        expect(request.body!.get('channel_id')).toBe('chan');
        expect(request.body!.get('client_ids')).toBe('c1');
        expect((request.body!.get('files') as File).name).toBe('hello.txt');
        request.upload.onprogress!({loaded: 3});
        request.answer(201, {file_infos: [{id: 'f1', name: 'hello.txt'}], client_ids: ['c1']});
        await expect(handle.done).resolves.toMatchObject({id: 'f1'});
        expect(progress).toEqual([3]);
    });

    it('says plainly when a file is too large, and otherwise shows the server message', async () => {
        const big = uploadFile(new File(['x'], 'big.bin'), 'chan', 'c1', () => {});
        FakeRequest.last.answer(413, {id: 'api.file.upload_file.too_large_detailed.app_error', message: 'whatever'});
        await expect(big.done).rejects.toThrow('This file is larger than the server accepts');

        const refused = uploadFile(new File(['x'], 'a.txt'), 'chan', 'c2', () => {});
        FakeRequest.last.answer(403, {id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.'});
        await expect(refused.done).rejects.toThrow('You do not have the appropriate permissions.');

        const broken = uploadFile(new File(['x'], 'a.txt'), 'chan', 'c3', () => {});
        FakeRequest.last.answer(502, '<html>Bad gateway</html>');
        await expect(broken.done).rejects.toThrow('Upload failed (502)');

        const offline = uploadFile(new File(['x'], 'a.txt'), 'chan', 'c4', () => {});
        FakeRequest.last.onerror!();
        await expect(offline.done).rejects.toThrow('the server could not be reached');
    });

    it('rejects with UploadCancelled when cancelled', async () => {
        const handle = uploadFile(new File(['x'], 'a.txt'), 'chan', 'c1', () => {});
        handle.cancel();
        await expect(handle.done).rejects.toBeInstanceOf(UploadCancelled);
    });
});
