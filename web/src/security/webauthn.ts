// Security keys and passkeys: the server's JSON options turned into what navigator.credentials
// takes (bytes as ArrayBuffers), and the browser's answer turned back into JSON for the server.
import {client, type SecurityKey} from '../api/client';
import {signedIn} from '../store/actions';
import {fromBase64url, toBase64url} from './base64url';

type Json = Record<string, unknown>;
type Descriptor = {id: string; type: 'public-key'; transports?: AuthenticatorTransport[]};

export function isSupported(): boolean {
    return typeof window !== 'undefined' && window.isSecureContext && typeof window.PublicKeyCredential === 'function';
}

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] {
    return ((list as Descriptor[] | undefined) ?? []).map((d) => ({...d, id: fromBase64url(d.id)}));
}

export function creationOptions(json: Json): PublicKeyCredentialCreationOptions {
    const user = json.user as {id: string; name: string; displayName: string};
    return {
        ...(json as unknown as PublicKeyCredentialCreationOptions),
        challenge: fromBase64url(json.challenge as string),
        user: {...user, id: fromBase64url(user.id)},
        excludeCredentials: descriptors(json.excludeCredentials),
    };
}

export function requestOptions(json: Json): PublicKeyCredentialRequestOptions {
    return {
        ...(json as unknown as PublicKeyCredentialRequestOptions),
        challenge: fromBase64url(json.challenge as string),
        allowCredentials: descriptors(json.allowCredentials),
    };
}

function common(credential: PublicKeyCredential): Json {
    return {
        id: credential.id,
        rawId: toBase64url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
    };
}

export function registrationJson(credential: PublicKeyCredential): Json {
    const response = credential.response as AuthenticatorAttestationResponse;
    return {
        ...common(credential),
        response: {
            clientDataJSON: toBase64url(response.clientDataJSON),
            attestationObject: toBase64url(response.attestationObject),
            transports: response.getTransports?.() ?? [],
        },
    };
}

export function assertionJson(credential: PublicKeyCredential): Json {
    const response = credential.response as AuthenticatorAssertionResponse;
    return {
        ...common(credential),
        response: {
            clientDataJSON: toBase64url(response.clientDataJSON),
            authenticatorData: toBase64url(response.authenticatorData),
            signature: toBase64url(response.signature),
            userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
        },
    };
}

export function listKeys(): Promise<SecurityKey[]> {
    return client.getSecurityKeys();
}

/** Asks the browser for a new key and registers it; answers the recovery codes when this was
 * the account's first second factor (otherwise none). */
export async function addKey(name: string): Promise<string[]> {
    const options = creationOptions(await client.getSecurityKeyOptions());
    const credential = await navigator.credentials.create({publicKey: options});
    if (!credential) {
        throw new Error('no credential');
    }
    const added = await client.addSecurityKey(name, registrationJson(credential as PublicKeyCredential));
    return added.recovery_codes;
}

export async function removeKey(keyId: string, proof: {password?: string; code?: string}): Promise<void> {
    await client.removeSecurityKey(keyId, proof);
}

/** The login's second step with a key: the password again (the server checks it and keeps a
 * challenge for this login), the key's signature, then signed in as after /users/login. */
export async function loginWithKey(loginId: string, password: string): Promise<void> {
    const options = requestOptions(await client.getSecurityKeyLoginOptions(loginId, password));
    const credential = await navigator.credentials.get({publicKey: options});
    if (!credential) {
        throw new Error('no credential');
    }
    const me = await client.loginWithSecurityKey(assertionJson(credential as PublicKeyCredential));
    await signedIn(me);
}
