"""Discovery calls every client makes first: ping, client config, client licence."""

import zoneinfo
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import MATTERMOST_VERSION, errors
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, query_str, runtime
from villagepump.runtime import Runtime


async def ping(request: Request) -> Response:
    # The mobile app reads CanReceiveNotifications when it sends a device_id; push is a later
    # piece of work, so say plainly that this server cannot deliver to the device yet.
    body: dict[str, Any] = {"status": "OK", "ActiveSearchBackend": "database"}
    if request.query_params.get("device_id"):
        body["CanReceiveNotifications"] = "false"
    if request.query_params.get("get_server_status"):
        body["database_status"] = "OK"
        body["filestore_status"] = "OK"
    return json_response(body)


async def client_config(request: Request) -> Response:
    if query_str(request, "format") != "old":
        raise errors.APIError(
            501,
            "api.config.client.old_format.app_error",
            "New format for the client configuration is not supported yet. Please specify format=old in the query string.",
        )
    return json_response(client_config_values(runtime(request)))


async def client_license(request: Request) -> Response:
    if query_str(request, "format") != "old":
        raise errors.APIError(
            501,
            "api.license.client.old_format.app_error",
            "New format for the client license is not supported yet. Please specify format=old in the query string.",
        )
    # Unlicensed: clients then skip the licence-gated features (bookmarks, groups, retention).
    return json_response({"IsLicensed": "false"})


async def supported_timezones(request: Request) -> Response:
    await require_caller(request)
    return json_response(_timezone_names())


@cache
def _timezone_names() -> list[str]:
    """The IANA zones this machine knows, for the time zone picker."""
    return sorted(zoneinfo.available_timezones())


def client_config_values(rt: Runtime) -> dict[str, str]:
    """The flat string map Mattermost clients read; every value is a string."""
    settings = rt.settings
    return {
        "Version": MATTERMOST_VERSION,
        "BuildNumber": "villagepump",
        "BuildDate": "",
        "BuildHash": "villagepump",
        "BuildHashEnterprise": "none",
        "BuildEnterpriseReady": "false",
        "DiagnosticId": rt.diagnostic_id,
        "DiagnosticsEnabled": "false",
        "SiteName": settings.site_name,
        "SiteURL": settings.site_url,
        "WebsocketURL": "",
        "WebsocketPort": "80",
        "WebsocketSecurePort": "443",
        "EnableReliableWebSockets": "true",
        "EnableSignInWithEmail": "true",
        "EnableSignInWithUsername": "true",
        "EnableSignUpWithEmail": "true" if settings.open_signup else "false",
        "EnableOpenServer": "true" if settings.open_signup else "false",
        "EnableUserCreation": "true",
        "EnableLdap": "false",
        "EnableSaml": "false",
        "EnableSignUpWithGitLab": "false",
        "EnableSignUpWithGoogle": "false",
        "EnableSignUpWithOffice365": "false",
        "EnableSignUpWithOpenId": "false",
        "EnableGuestAccounts": "false",
        "EnableGuestMagicLink": "false",
        "EnableMultifactorAuthentication": "false",
        "EnforceMultifactorAuthentication": "false",
        "EnableUserAccessTokens": "true",
        "EnableCustomTermsOfService": "false",
        "CollapsedThreads": "default_on",
        "FeatureFlagCollapsedThreads": "true",
        "TeammateNameDisplay": "username",
        "LockTeammateNameDisplay": "false",
        "ExperimentalPrimaryTeam": "",
        "ExperimentalTownSquareIsReadOnly": "false",
        "ExperimentalEnableDefaultChannelLeaveJoinMessages": "true",
        "MaxPostSize": str(settings.max_post_size),
        "MaxFileSize": str(100 * 1024 * 1024),
        "MaxNotificationsPerChannel": "1000",
        "EnableUserTypingMessages": "true",
        "TimeBetweenUserTypingUpdatesMilliseconds": "5000",
        "EnableCustomEmoji": "false",
        "EnableLinkPreviews": "false",
        "EnablePermalinkPreviews": "true",
        "EnablePublicLink": "false",
        "EnableCustomUserStatuses": "false",
        "EnableConfirmNotificationsToChannel": "true",
        "EnableFileAttachments": "false",
        "EnableMobileFileUpload": "false",
        "EnableMobileFileDownload": "false",
        "SendPushNotifications": "false",
        "SendEmailNotifications": "false",
        "AllowEditPost": "always",
        "PostEditTimeLimit": "-1",
        "PostPriority": "false",
        "PostAcknowledgements": "false",
        "ScheduledPosts": "false",
        "EnableManagedChannelCategories": "false",
        "FeatureFlagAppsEnabled": "false",
        "FeatureFlagClassificationMarkings": "false",
        "DataRetentionEnableMessageDeletion": "false",
        "ShowEmailAddress": "false",
        "ShowFullName": "true",
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
        "DefaultClientLocale": "en",
        "AvailableLocales": "",
        "ForgotPasswordLink": "",
        "AboutLink": "",
        "HelpLink": "",
        "PrivacyPolicyLink": "",
        "TermsOfServiceLink": "",
        "ReportAProblemLink": "",
        "SupportEmail": "",
        "EnableAskCommunityLink": "false",
        "EnableBotAccountCreation": "false",
        "EnableCommands": "false",
        "EnableIncomingWebhooks": "false",
        "EnableOutgoingWebhooks": "false",
        "EnableOAuthServiceProvider": "false",
        "EnableTutorial": "false",
        "EnableOnboardingFlow": "false",
        "EnableEmailInvitations": "false",
        "EnableSVGs": "false",
        "EnableLatex": "false",
        "EnableInlineLatex": "false",
        "EnableGifPicker": "false",
        "EnableEmojiPicker": "true",
        "ExperimentalViewArchivedChannels": "true",
        "IsDefaultMarketplace": "false",
        "PluginsEnabled": "false",
        "EnableCompliance": "false",
        "GuestAccountsEnforceMultifactorAuthentication": "false",
    }


routes = [
    Route("/system/ping", ping, methods=["GET"]),
    Route("/system/timezones", supported_timezones, methods=["GET"]),
    Route("/config/client", client_config, methods=["GET"]),
    Route("/license/client", client_license, methods=["GET"]),
]
