"""Settings as Mattermost sends them: the admin's configuration (sections of settings, secrets
masked), the settings the environment or file lock, and the client configuration."""

from typing import Any

from villagepump import MATTERMOST_VERSION
from villagepump.config import FAKE_SETTING, Settings, wire_fields


def render_config(settings: Settings) -> dict[str, dict[str, Any]]:
    """GET /config: every runtime setting under its Mattermost section and key. A secret that is
    set shows as FAKE_SETTING, as Mattermost's Config.Sanitize does."""
    sections: dict[str, dict[str, Any]] = {}
    for field in _in_section_order():
        value = field.to_wire(getattr(settings, field.name))
        if field.wire.secret and value:
            value = FAKE_SETTING
        sections.setdefault(field.wire.section, {})[field.wire.key] = value
    return sections


def render_environment(locked: frozenset[str]) -> dict[str, dict[str, bool]]:
    """GET /config/environment: true for each setting the environment or the TOML file sets;
    settings they leave alone are absent, as in Mattermost."""
    sections: dict[str, dict[str, bool]] = {}
    for field in _in_section_order():
        if field.name in locked:
            sections.setdefault(field.wire.section, {})[field.wire.key] = True
    return sections


def _in_section_order() -> list[Any]:
    """Mattermost's sections first, in the order they are declared; ours last."""
    fields = list(wire_fields().values())
    return sorted(fields, key=lambda f: f.wire.section == "VillagepumpSettings")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def render_client_config(
    settings: Settings, diagnostic_id: str, signing_public_key: str = "", terms_id: str = ""
) -> dict[str, str]:
    """The flat string map Mattermost clients read (GET /config/client, config_changed); every
    value is a string."""
    config = _client_config(settings, diagnostic_id, signing_public_key)
    if settings.enable_custom_terms_of_service and terms_id:
        # The mobile app asks for acceptance when the user's terms_of_service_id differs from it.
        config["CustomTermsOfServiceId"] = terms_id
    return config


def _client_config(settings: Settings, diagnostic_id: str, signing_public_key: str) -> dict[str, str]:
    return {
        "Version": MATTERMOST_VERSION,
        "BuildNumber": "villagepump",
        "BuildDate": "",
        "BuildHash": "villagepump",
        "BuildHashEnterprise": "none",
        "BuildEnterpriseReady": "false",
        "DiagnosticId": diagnostic_id,
        # The mobile app checks each push's signature with it (notifications/signing.py).
        "AsymmetricSigningPublicKey": signing_public_key,
        "DiagnosticsEnabled": "false",
        "SiteName": settings.site_name,
        "SiteURL": settings.site_url,
        "WebsocketURL": "",
        "WebsocketPort": "80",
        "WebsocketSecurePort": "443",
        "EnableReliableWebSockets": "true",
        "EnableSignInWithEmail": "true",
        "EnableSignInWithUsername": "true",
        "EnableSignUpWithEmail": _flag(settings.enable_sign_up_with_email),
        "EnableOpenServer": _flag(settings.open_signup),
        "EnableUserCreation": "true",
        "EnableUserDeactivation": _flag(settings.enable_user_deactivation),
        "EnableLdap": "false",
        "EnableSaml": "false",
        "EnableSignUpWithGitLab": _flag(settings.gitlab_enable),
        "EnableSignUpWithGoogle": _flag(settings.google_enable),
        "EnableSignUpWithOffice365": _flag(settings.office365_enable),
        # The mobile apps know Mattermost's services only: with no OpenID provider, the MediaWiki
        # sign-in is offered to them as "openid" (api/sso.py answers /oauth/openid/* with it).
        "EnableSignUpWithOpenId": _flag(settings.openid_enable or settings.wikimedia_enable),
        "OpenIdButtonText": settings.openid_button_text
        if settings.openid_enable
        else settings.wikimedia_button_text
        if settings.wikimedia_enable
        else "",
        "OpenIdButtonColor": settings.openid_button_color,
        "EnableSignUpWithWikimedia": _flag(settings.wikimedia_enable),
        # Tells our web client the "openid" keys above describe the Wikimedia sign-in.
        "OpenIdIsWikimedia": _flag(settings.wikimedia_enable and not settings.openid_enable),
        "WikimediaButtonText": settings.wikimedia_button_text,
        "EnableGuestAccounts": _flag(settings.guest_accounts_enable),
        "EnableGuestMagicLink": "false",
        "EnableMultifactorAuthentication": _flag(settings.enable_mfa),
        # What the apps read to send every user without two-factor authentication to enrol: so
        # "true" only when it is enforced for everyone. Enforced for admins only, the web client
        # learns it from EnforceMultifactorAuthenticationFor (and any call's mfa_required error).
        "EnforceMultifactorAuthentication": _flag(
            settings.enable_mfa and settings.enforce_mfa and settings.enforce_mfa_for == "all"
        ),
        "EnforceMultifactorAuthenticationFor": (
            settings.enforce_mfa_for if settings.enable_mfa and settings.enforce_mfa else ""
        ),
        "EnableUserAccessTokens": "true",
        "EnableCustomTermsOfService": _flag(settings.enable_custom_terms_of_service),
        "CustomTermsOfServiceReAcceptancePeriod": str(settings.terms_of_service_reacceptance_days),
        "CollapsedThreads": "default_on",
        "FeatureFlagCollapsedThreads": "true",
        "TeammateNameDisplay": "username",
        "LockTeammateNameDisplay": "false",
        "ExperimentalPrimaryTeam": "",
        "ExperimentalTownSquareIsReadOnly": "false",
        "ExperimentalEnableDefaultChannelLeaveJoinMessages": "true",
        "MaxPostSize": str(settings.max_post_size),
        "MaxFileSize": str(settings.max_file_size),
        "MaxNotificationsPerChannel": "1000",
        "EnableUserTypingMessages": "true",
        "TimeBetweenUserTypingUpdatesMilliseconds": "5000",
        "EnableCustomEmoji": _flag(settings.enable_custom_emoji),
        "EnableLinkPreviews": _flag(settings.enable_link_previews),
        "RestrictLinkPreviews": settings.restrict_link_previews,
        "EnablePermalinkPreviews": "true",
        "EnablePublicLink": _flag(settings.enable_public_link),
        "EnableCustomUserStatuses": _flag(settings.enable_custom_user_statuses),
        "AllowSyncedDrafts": _flag(settings.allow_synced_drafts),
        "EnableConfirmNotificationsToChannel": "true",
        "EnableFileAttachments": "false",
        "EnableMobileFileUpload": "false",
        "EnableMobileFileDownload": "false",
        "SendPushNotifications": _flag(settings.send_push_notifications),
        "SendEmailNotifications": _flag(settings.send_email_notifications),
        "EnableEmailBatching": _flag(settings.enable_email_batching),
        "AllowEditPost": "always",
        "PostEditTimeLimit": "-1",
        "PostPriority": "false",
        "PostAcknowledgements": "false",
        "ScheduledPosts": "false",
        "EnableManagedChannelCategories": "false",
        "FeatureFlagAppsEnabled": "false",
        "FeatureFlagClassificationMarkings": "false",
        # Free here, and the licence says so (DataRetention): the mobile app then fetches the
        # policies and purges its cache by them (decision 0032).
        "DataRetentionEnableMessageDeletion": _flag(settings.enable_message_deletion),
        "DataRetentionMessageRetentionDays": str(settings.message_retention_ms // 86_400_000),
        "DataRetentionMessageRetentionHours": str(settings.message_retention_ms // 3_600_000),
        "DataRetentionEnableFileDeletion": _flag(settings.enable_file_deletion),
        "DataRetentionFileRetentionDays": str(settings.file_retention_ms // 86_400_000),
        "DataRetentionFileRetentionHours": str(settings.file_retention_ms // 3_600_000),
        "ShowEmailAddress": _flag(settings.show_email_address),
        "ShowFullName": _flag(settings.show_full_name),
        "RestrictDirectMessage": "any",
        "EnableChannelViewedMessages": "true",
        "EnableClientMetrics": "false",
        "EnableDeveloper": "false",
        "EnableTesting": "false",
        "EnableDiagnostics": "false",
        "NoAccounts": "false",
        "PasswordMinimumLength": "8",
        "PasswordRequireLowercase": "false",
        "PasswordRequireUppercase": "false",
        "PasswordRequireNumber": "false",
        "PasswordRequireSymbol": "false",
        "DefaultClientLocale": settings.default_client_locale,
        "AvailableLocales": settings.available_locales,
        "ForgotPasswordLink": "",
        "AboutLink": settings.about_link,
        "HelpLink": settings.help_link,
        "PrivacyPolicyLink": settings.privacy_policy_link,
        "TermsOfServiceLink": settings.terms_of_service_link,
        "ReportAProblemLink": settings.report_a_problem_link,
        "SupportEmail": settings.support_email,
        "EnableAskCommunityLink": "false",
        "EnableBotAccountCreation": _flag(settings.enable_bot_account_creation),
        "EnableCommands": _flag(settings.enable_commands),
        "EnableIncomingWebhooks": _flag(settings.enable_incoming_webhooks),
        "EnableOutgoingWebhooks": _flag(settings.enable_outgoing_webhooks),
        "EnablePostUsernameOverride": _flag(settings.enable_post_username_override),
        "EnablePostIconOverride": _flag(settings.enable_post_icon_override),
        "EnableOAuthServiceProvider": "false",
        "EnableTutorial": "false",
        "EnableOnboardingFlow": "false",
        "EnableEmailInvitations": _flag(settings.enable_email_invitations),
        "RequireEmailVerification": _flag(settings.require_email_verification),
        "EnableSVGs": "false",
        "EnableLatex": _flag(settings.enable_latex),
        "EnableInlineLatex": _flag(settings.enable_inline_latex),
        "EnableGifPicker": "false",
        "EnableEmojiPicker": "true",
        "ExperimentalViewArchivedChannels": "true",
        "IsDefaultMarketplace": "false",
        "PluginsEnabled": "false",
        "EnableCompliance": "false",
        "GuestAccountsEnforceMultifactorAuthentication": "false",
    }
